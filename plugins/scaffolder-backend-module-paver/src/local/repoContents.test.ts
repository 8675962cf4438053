import fs from 'node:fs/promises';
import path from 'node:path';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { tempDir } from '../__testUtils__/mockContext';
import { LocalRepositories } from './localRepositories';
import {
  createRepoContentsHandler,
  repoContentsUrl,
  resolveCheckoutFile,
} from './repoContents';

describe('local repository contents', () => {
  let repos: LocalRepositories;
  let outside: string;
  beforeAll(async () => {
    repos = new LocalRepositories(await tempDir('paver-data-'));
    const checkout = repos.checkoutPath('billing-api');
    await fs.mkdir(path.join(checkout, '.git'), { recursive: true });
    await fs.writeFile(
      path.join(checkout, 'catalog-info.yaml'),
      'kind: Component\n',
    );
    await fs.writeFile(path.join(checkout, '.git', 'config'), '[core]\n');
    outside = path.join(repos.dataDir, 'secret.txt');
    await fs.writeFile(outside, 'secret');
    await fs.symlink(outside, path.join(checkout, 'link-out'));
    await fs.symlink('catalog-info.yaml', path.join(checkout, 'link-in'));
  });

  it('builds the URL the catalog reads from', () => {
    expect(
      repoContentsUrl('http://localhost:7007/api/scaffolder', 'billing-api'),
    ).toBe(
      'http://localhost:7007/api/scaffolder/paver/repos/billing-api/contents/',
    );
  });

  it('resolves a file in the checkout, also through a link that stays inside', async () => {
    const file = await resolveCheckoutFile(
      repos,
      'billing-api',
      'catalog-info.yaml',
    );
    expect(await fs.readFile(file, 'utf8')).toBe('kind: Component\n');
    expect(
      await fs.readFile(
        await resolveCheckoutFile(repos, 'billing-api', 'link-in'),
        'utf8',
      ),
    ).toBe('kind: Component\n');
  });

  it('refuses a path that climbs out of the checkout', async () => {
    await expect(
      resolveCheckoutFile(repos, 'billing-api', '../../secret.txt'),
    ).rejects.toThrow(NotAllowedError);
  });

  it('refuses a symlink pointing out of the checkout', async () => {
    await expect(
      resolveCheckoutFile(repos, 'billing-api', 'link-out'),
    ).rejects.toThrow(NotAllowedError);
  });

  it('never serves the .git folder or a NUL byte', async () => {
    await expect(
      resolveCheckoutFile(repos, 'billing-api', '.git/config'),
    ).rejects.toThrow(NotAllowedError);
    await expect(
      resolveCheckoutFile(repos, 'billing-api', 'a\0b'),
    ).rejects.toThrow(NotAllowedError);
  });

  it('answers not found for a missing file or a name that is not a service name', async () => {
    await expect(
      resolveCheckoutFile(repos, 'billing-api', 'nope.yaml'),
    ).rejects.toThrow(NotFoundError);
    await expect(
      resolveCheckoutFile(repos, '..', 'catalog-info.yaml'),
    ).rejects.toThrow(NotFoundError);
  });

  describe('the HTTP handler', () => {
    function call(method: string, reqPath: string) {
      const res = {
        headers: {} as Record<string, string>,
        body: undefined as unknown,
      };
      const response = {
        setHeader: (k: string, v: string) => (res.headers[k] = v),
        send: (b: unknown) => (res.body = b),
      };
      return new Promise<{
        res: typeof res;
        nextArg?: unknown;
        nexted: boolean;
      }>(resolve => {
        const next = (arg?: unknown) =>
          resolve({ res, nextArg: arg, nexted: true });
        const done = response.send;
        response.send = (b: unknown) => {
          done(b);
          resolve({ res, nexted: false });
        };
        void createRepoContentsHandler(repos)(
          { method, path: reqPath } as any,
          response as any,
          next,
        );
      });
    }

    it('sends a file as plain text', async () => {
      const { res, nexted } = await call(
        'GET',
        '/paver/repos/billing-api/contents/catalog-info.yaml',
      );
      expect(nexted).toBe(false);
      expect(String(res.body)).toBe('kind: Component\n');
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    });

    it('passes an encoded ../ on as a refusal', async () => {
      const { nextArg } = await call(
        'GET',
        '/paver/repos/billing-api/contents/%2e%2e%2f%2e%2e%2fsecret.txt',
      );
      expect(nextArg).toBeInstanceOf(NotAllowedError);
    });

    it('leaves other routes and methods to the scaffolder', async () => {
      expect((await call('GET', '/v2/tasks')).nextArg).toBeUndefined();
      expect(
        (
          await call(
            'POST',
            '/paver/repos/billing-api/contents/catalog-info.yaml',
          )
        ).nexted,
      ).toBe(true);
    });
  });
});

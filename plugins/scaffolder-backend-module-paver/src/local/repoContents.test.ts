import { once } from 'node:events';
import fs from 'node:fs/promises';
import type { AddressInfo, Server } from 'node:net';
import path from 'node:path';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import express from 'express';
import { tempDir } from '../__testUtils__/mockContext';
import { LocalRepositories } from './localRepositories';
import {
  createRepoContentsRouter,
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

  describe('the HTTP route', () => {
    let server: Server;
    let base: string;
    beforeAll(async () => {
      // The router as the scaffolder mounts it: errors reach an error handler, anything the
      // router leaves alone reaches the next handler (the scaffolder's own routes).
      const app = express();
      app.use(createRepoContentsRouter(repos));
      app.use((_req, res) => {
        res.status(299).send('left to the scaffolder');
      });
      app.use(((error, _req, res, _next) => {
        res.status(500).json({ name: error.name });
      }) as express.ErrorRequestHandler);
      server = app.listen(0, '127.0.0.1');
      await once(server, 'listening');
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => server.close());

    const request = (reqPath: string, method = 'GET') =>
      fetch(`${base}${reqPath}`, { method });
    const errorName = async (response: Response) =>
      ((await response.json()) as { name: string }).name;

    it('sends a file as plain text, and answers HEAD for it', async () => {
      const file = '/paver/repos/billing-api/contents/catalog-info.yaml';
      expect((await request(file, 'HEAD')).status).toBe(200);
      const response = await request(file);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('kind: Component\n');
      expect(response.headers.get('content-type')).toBe(
        'text/plain; charset=utf-8',
      );
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    });

    it('passes an encoded ../ on as a refusal', async () => {
      const response = await request(
        '/paver/repos/billing-api/contents/%2e%2e%2f%2e%2e%2fsecret.txt',
      );
      expect(await errorName(response)).toBe('NotAllowedError');
    });

    it('answers not found for a path segment that does not decode', async () => {
      const response = await request(
        '/paver/repos/billing-api/contents/%zz.yaml',
      );
      expect(await errorName(response)).toBe('NotFoundError');
    });

    it('leaves other routes and methods to the scaffolder', async () => {
      expect((await request('/v2/tasks')).status).toBe(299);
      expect(
        (
          await request(
            '/paver/repos/billing-api/contents/catalog-info.yaml',
            'POST',
          )
        ).status,
      ).toBe(299);
    });
  });
});

import fs from 'node:fs/promises';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { readPaverConfig } from './config';
import { GRANTS_TABLE } from './github/pacingLedger';
import {
  type GithubPublisherDeps,
  createGithubPublisher,
} from './githubPublisher';
import { git } from './local/git';
import { startGithubDouble, type GithubDouble } from '@paver/test-utils';
import { tempDir } from './__testUtils__/mockContext';

describe('the GitHub provider of paver:repo:publish', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let double: GithubDouble;
  beforeAll(async () => {
    double = await startGithubDouble();
  });
  afterAll(() => double?.stop());

  async function publisherFor(
    token: string | undefined,
    deps?: GithubPublisherDeps,
  ) {
    const host = new URL(double.url).host;
    const config = new ConfigReader({
      paver: {
        publish: { provider: 'github', github: { owner: 'acme', host } },
      },
      integrations: {
        github: [
          { host, apiBaseUrl: double.apiBaseUrl, ...(token ? { token } : {}) },
        ],
      },
    });
    return (await createGithubPublisher(
      config,
      readPaverConfig(config),
      deps,
    ))!;
  }

  async function request(taskId: string) {
    const sourceDir = await tempDir('paver-workspace-');
    await fs.writeFile(
      path.join(sourceDir, 'catalog-info.yaml'),
      'kind: Component\n',
    );
    const checkpoints = new Map<string, unknown>();
    return {
      input: {
        name: 'billing-api',
        owner: 'group:default/payments',
        description: 'Bills customers',
      },
      sourceDir,
      commitMessage: 'Initial commit from billing-service@1.0.0',
      taskId,
      logger: mockServices.logger.mock(),
      checkpoint: async <T>(key: string, fn: () => Promise<T>) => {
        if (!checkpoints.has(key)) checkpoints.set(key, await fn());
        return checkpoints.get(key) as T;
      },
    };
  }

  it('is absent when no GitHub owner is configured', async () => {
    const config = new ConfigReader({});
    expect(
      await createGithubPublisher(config, readPaverConfig(config)),
    ).toBeUndefined();
  });

  it("creates the repository with the team's access and pushes Paver's first commit", async () => {
    const token = double.issueToken();
    const published = await (
      await publisherFor(token)
    )(await request('task-gh-1'));
    expect(published.catalogInfoUrl).toBe(
      `${double.url}/acme/billing-api/blob/main/catalog-info.yaml`,
    );
    const repo = double.repos().find(r => r.name === 'billing-api')!;
    expect(repo.teams).toEqual({ payments: 'maintain' });

    const clone = path.join(await tempDir(), 'clone');
    const authenticated = new URL(published.remoteUrl);
    authenticated.username = 'x-access-token';
    authenticated.password = token;
    await git(['clone', '--quiet', authenticated.href, clone]);
    expect(await git(['-C', clone, 'log', '--format=%an|%s'])).toBe(
      'Paver|Initial commit from billing-service@1.0.0',
    );
  });

  it('fails the task, not start-up, when the integration has no token', async () => {
    const publisher = await publisherFor(undefined);
    await expect(publisher(await request('task-gh-2'))).rejects.toThrow(
      /no token/,
    );
  });

  it("counts its GitHub writes in the scaffolder database's ledger, which every replica shares", async () => {
    const knex = await databases.init('SQLITE_3');
    const publisher = await publisherFor(double.issueToken(), {
      database: { getClient: async () => knex },
    });
    const before = double.requests().length;

    await publisher({
      ...(await request('task-gh-3')),
      input: { name: 'ledger-api', owner: 'group:default/payments' },
    });

    // The REST writes (create, topics, protection, team), not git's own POSTs of the push.
    const writes = double
      .requests()
      .slice(before)
      .filter(r => r.method !== 'GET' && !r.endpoint.startsWith('GIT'));
    expect(writes.length).toBeGreaterThanOrEqual(4);
    const [{ n }] = await knex(GRANTS_TABLE).count({ n: '*' });
    expect(Number(n)).toBe(writes.length);
  });
});

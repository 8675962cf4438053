import fs from 'node:fs/promises';
import path from 'node:path';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { git } from '../../git';
import { GRANTS_TABLE } from '../../github/pacingLedger';
import { startGithubDouble, type GithubDouble } from '@paver/test-utils';
import { tempDir } from '../../__testUtils__/mockContext';
import { githubProviderOn } from '../../__testUtils__/githubHarness';

describe('the GitHub provider of paver:repo:publish', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let double: GithubDouble;
  beforeAll(async () => {
    double = await startGithubDouble();
  });
  afterAll(() => double?.stop());

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

  it("creates the repository with the team's access and pushes Paver's first commit", async () => {
    const token = double.issueToken();
    const published = await (
      await githubProviderOn(double, token)
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
    const publisher = await githubProviderOn(double, undefined);
    await expect(publisher(await request('task-gh-2'))).rejects.toThrow(
      /no token/,
    );
  });

  it("counts its GitHub writes in the scaffolder database's ledger, which every replica shares", async () => {
    const knex = await databases.init('SQLITE_3');
    const publisher = await githubProviderOn(double, double.issueToken(), {
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

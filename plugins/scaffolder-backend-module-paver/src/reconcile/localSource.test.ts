import fs from 'node:fs/promises';
import path from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import { publishLocal } from '../actions/publish/local';
import { git } from '../git';
import { LocalRepositories } from '../local/localRepositories';
import { tempDir } from '../__testUtils__/mockContext';
import { FakeLocationCatalog } from './fakeLocationCatalog';
import { localRepositorySource } from './localSource';
import { reconcile } from './reconcile';

const BASE = 'http://localhost:7007/api/scaffolder';

describe('the local provider as the reconciler sees it', () => {
  let repos: LocalRepositories;
  let published: { catalogInfoUrl: string };

  async function workspace(files: Record<string, string>): Promise<string> {
    const dir = await tempDir('paver-reconcile-ws-');
    for (const [name, content] of Object.entries(files))
      await fs.writeFile(path.join(dir, name), content);
    return dir;
  }

  beforeAll(async () => {
    repos = new LocalRepositories(await tempDir('paver-reconcile-local-'));
    // Published the way paver:repo:publish does it: claimed, pushed, checked out.
    published = await publishLocal(repos, BASE, {
      input: { name: 'billing-api', owner: 'group:default/payments' },
      sourceDir: await workspace({ 'catalog-info.yaml': 'kind: Component\n' }),
      commitMessage: 'Initial commit',
      taskId: 'task-billing',
      isDryRun: false,
      checkpoint: (_key, fn) => fn(),
    });
    // Killed after creating the repository: marked, nothing pushed.
    await repos.claim('half-made', 'task-half');
    // Pushed without a catalog-info.yaml.
    await repos.claim('no-catalog', 'task-no-catalog');
    await repos.push(
      'no-catalog',
      await workspace({ 'README.md': '# x\n' }),
      'Initial commit',
    );
    await repos.checkout('no-catalog');
    // Someone else's bare repository, and a claim's staging folder.
    await git([
      'init',
      '--quiet',
      '--bare',
      path.join(repos.gitRoot, 'foreign.git'),
    ]);
    await fs.mkdir(path.join(repos.gitRoot, '.staged.git-abc123'));
  });

  it('lists exactly the marked repositories, with the URL paver:repo:publish output', async () => {
    const listed = await localRepositorySource(repos, async () => BASE).list();

    expect(listed.map(r => [r.repo, r.taskId])).toEqual([
      ['billing-api', 'task-billing'],
      ['half-made', 'task-half'],
      ['no-catalog', 'task-no-catalog'],
    ]);
    expect(listed[0].catalogInfoUrl).toBe(published.catalogInfoUrl);
  });

  it('sees catalog-info.yaml only where the contents route would serve it', async () => {
    const source = localRepositorySource(repos, async () => BASE);
    const listed = await source.list();
    const present = await Promise.all(
      listed.map(r => source.hasCatalogInfo(r)),
    );
    expect(present).toEqual([true, false, false]);
  });

  it('registers the published repository and reports the two it cannot, touching no repository', async () => {
    const before = await fs.readdir(repos.gitRoot);
    const catalog = new FakeLocationCatalog();

    const report = await reconcile({
      source: localRepositorySource(repos, async () => BASE),
      catalog,
      credentials: mockCredentials.service(),
      logger: { info: () => {}, warn: () => {} },
    });

    expect(report.registered).toEqual([
      {
        repo: 'billing-api',
        taskId: 'task-billing',
        catalogInfoUrl: published.catalogInfoUrl,
      },
    ]);
    expect(report.failed.map(f => f.repo)).toEqual(['half-made', 'no-catalog']);
    expect(catalog.added.map(a => a.target)).toEqual([
      published.catalogInfoUrl,
    ]);
    expect(await fs.readdir(repos.gitRoot)).toEqual(before);
    expect(await repos.markerOf('half-made')).toBe('task-half');
  });

  it('finds nothing, without failing, before anything was ever published', async () => {
    const empty = new LocalRepositories(
      await tempDir('paver-reconcile-empty-'),
    );
    expect(await localRepositorySource(empty, async () => BASE).list()).toEqual(
      [],
    );
  });
});

import fs from 'node:fs/promises';
import path from 'node:path';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { renderToMemory, TemplateReleases } from '@paver/golden-path';
import {
  type GithubDouble,
  gitIn,
  makeTemplateRepo,
  startGithubDouble,
  TEST_PLATFORM,
  tempDir,
  templateYaml,
  textLines,
} from '@paver/test-utils';
import { roomyPacer } from '../__testUtils__/githubHarness';
import { git } from '../git';
import { createGithubClient, type GithubClient } from '../github';
import { LocalRepositories } from '../local/localRepositories';
import { upgradeGithubFleet } from './githubFleet';
import { conflictsInBody } from './githubSettle';
import { GoldenPathFleet } from './goldenPathFleet';

// The Golden paths page on GitHub: the overview, merging and closing, against the double.

const templatesDir = makeTemplateRepo('demo', [
  {
    version: '1.0.0',
    files: {
      'template.yaml': templateYaml('demo', '1.0.0'),
      'skeleton/app.txt.hbs': textLines('{{values.name}}', 'port 3000'),
    },
  },
  {
    version: '1.1.0',
    files: {
      'template.yaml': templateYaml('demo', '1.1.0'),
      'skeleton/extra.txt': textLines('extra'),
    },
  },
  {
    version: '2.0.0',
    files: {
      'template.yaml': templateYaml('demo', '2.0.0'),
      'skeleton/app.txt.hbs': textLines('{{values.name}}', 'port 8080'),
    },
  },
]);
const releases = new TemplateReleases({ repoDir: path.dirname(templatesDir) });
const BRANCH = 'paver/upgrade-demo-2.0.0';
const CLONES = 'GIT info/refs';

describe('GoldenPathFleet on GitHub', () => {
  let double: GithubDouble;
  let fleet: GoldenPathFleet;
  let client: GithubClient;
  beforeEach(async () => {
    double = await startGithubDouble();
    client = createGithubClient({
      baseUrl: double.apiBaseUrl,
      getToken: async () => double.issueToken(),
      pacer: roomyPacer(),
    });
    const unused = new LocalRepositories(await tempDir('paver-unused-'));
    fleet = new GoldenPathFleet(unused, templatesDir, releases, {
      client,
      owner: 'acme',
    });
  });
  afterEach(() => double.stop());

  /** A service as the scaffolder leaves it at `version`, its files edited by `edits`. */
  async function service(
    name: string,
    version: string,
    edits: Record<string, string> = {},
    topics = ['paver', `paver-task-${name}`],
  ) {
    const files = renderToMemory(
      await releases.load('demo', version),
      { name },
      { platform: TEST_PLATFORM },
    );
    for (const [file, text] of Object.entries(edits))
      files.set(file, Buffer.from(text));
    return double.seedRepo({ owner: 'acme', name, topics, files });
  }

  /** The requests made since `before` (a `double.calls()`), by route. */
  const since = (before: Record<string, number>) =>
    Object.fromEntries(
      Object.entries(double.calls())
        .map(([route, n]) => [route, n - (before[route] ?? 0)] as const)
        .filter(([, n]) => n > 0),
    );

  it('shows each service on its version, releases behind, drift and open upgrade pull requests, and a second load clones nothing', async () => {
    await service('svc-a', '1.0.0');
    await service('svc-b', '1.1.0', { 'app.txt': 'svc-b\nport 4000\n' });
    await service('svc-c', '2.0.0');
    await service('unmarked', '1.0.0', {}, []);
    // Only svc-a gets its upgrade pull request.
    const upgrade = await upgradeGithubFleet(client, releases, {
      owner: 'acme',
      template: 'demo',
      version: '2.0.0',
      services: ['svc-a'],
    });
    expect(upgrade.map(s => s.state)).toEqual(['opened']);

    const before = double.calls();
    const [demo] = await fleet.overview();

    expect(demo).toEqual({
      name: 'demo',
      version: '2.0.0',
      releases: ['1.0.0', '1.1.0', '2.0.0'],
      services: [
        {
          name: 'svc-a',
          template: 'demo',
          version: '1.0.0',
          latest: '2.0.0',
          behind: 2,
          drifted: [],
          upgrades: [BRANCH],
          upgradeUrls: { [BRANCH]: `${double.url}/acme/svc-a/pull/1` },
        },
        {
          name: 'svc-b',
          template: 'demo',
          version: '1.1.0',
          latest: '2.0.0',
          behind: 1,
          drifted: ['app.txt'],
          upgrades: [],
          upgradeUrls: {},
        },
        {
          name: 'svc-c',
          template: 'demo',
          version: '2.0.0',
          latest: '2.0.0',
          behind: 0,
          drifted: [],
          upgrades: [],
          upgradeUrls: {},
        },
      ],
    });
    // One clone per service, one open-pull-request listing per service, nothing for `unmarked`.
    const first = since(before);
    expect(first).toMatchObject({
      [CLONES]: 3,
      'GET /repos/{owner}/{repo}/pulls': 3,
      'GET /repos/{owner}/{repo}/commits/{ref}': 3,
      'GET /repos/{owner}/{repo}/contents/{path}': 3,
    });

    const second = double.calls();
    expect(await fleet.overview()).toEqual([demo]);
    // Unchanged tips: no clone and no answers file read; the tip and the open pulls only.
    expect(since(second)).toEqual({
      'GET /orgs/{org}/repos': 1,
      'GET /repos/{owner}/{repo}/commits/{ref}': 3,
      'GET /repos/{owner}/{repo}/pulls': 3,
    });

    // The team of svc-c changes app.txt: only svc-c is read and cloned again.
    const [repo] = double.repos().filter(r => r.name === 'svc-c');
    const work = await tempDir('paver-golden-paths-edit-');
    gitIn(work, 'clone', '--quiet', repo.gitDir, '.');
    await fs.writeFile(path.join(work, 'app.txt'), 'svc-c\nport 9090\n');
    gitIn(
      work,
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@example.org',
      'commit',
      '--quiet',
      '-am',
      'Our port',
    );
    gitIn(work, 'push', '--quiet', 'origin', 'main');
    const third = double.calls();
    const [changed] = await fleet.overview();
    expect(changed.services.find(s => s.name === 'svc-c')).toMatchObject({
      drifted: ['app.txt'],
    });
    expect(since(third)).toMatchObject({
      [CLONES]: 1,
      'GET /repos/{owner}/{repo}/contents/{path}': 1,
    });
  });

  it('marks drift as not computed when it is not asked for, and clones nothing', async () => {
    await service('svc-a', '1.0.0');
    const before = double.calls();

    const [demo] = await fleet.overview({ drift: false });

    expect(demo.services).toMatchObject([
      {
        name: 'svc-a',
        version: '1.0.0',
        behind: 2,
        drifted: [],
        driftNotComputed: 'not asked for',
      },
    ]);
    expect(since(before)[CLONES]).toBeUndefined();
  });

  it('merges a conflict-free upgrade pull request with exactly the open-pull lookup, the merge and the branch deletion', async () => {
    await service('svc-a', '1.0.0');
    await fleet.upgrade('demo', '2.0.0', () => {});
    const before = double.calls();

    const merged = await fleet.merge('demo', '2.0.0', 'svc-a');

    expect(since(before)).toEqual({
      'GET /repos/{owner}/{repo}/pulls': 1,
      'PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge': 1,
      'DELETE /repos/{owner}/{repo}/git/refs/{ref}': 1,
    });
    const [repo] = double.repos();
    expect(merged).toEqual({
      commit: await git(['--git-dir', repo.gitDir, 'rev-parse', 'main']),
      url: `${double.url}/acme/svc-a/pull/1`,
    });
    expect(await git(['--git-dir', repo.gitDir, 'show', 'main:app.txt'])).toBe(
      'svc-a\nport 8080',
    );
    expect(repo.branches).toEqual(['main']);
    expect(repo.pulls).toMatchObject([
      { state: 'closed', mergeCommitSha: merged.commit },
    ]);
    const [demo] = await fleet.overview();
    expect(demo.services).toMatchObject([
      { name: 'svc-a', version: '2.0.0', behind: 0, upgrades: [] },
    ]);
  });

  it('closes an upgrade pull request with exactly the lookup, the update and the branch deletion, main untouched', async () => {
    await service('svc-a', '1.0.0');
    await fleet.upgrade('demo', '2.0.0', () => {});
    const [seeded] = double.repos();
    const main = await git(['--git-dir', seeded.gitDir, 'rev-parse', 'main']);
    const before = double.calls();

    expect(await fleet.close('demo', '2.0.0', 'svc-a')).toEqual({
      url: `${double.url}/acme/svc-a/pull/1`,
    });

    expect(since(before)).toEqual({
      'GET /repos/{owner}/{repo}/pulls': 1,
      'PATCH /repos/{owner}/{repo}/pulls/{pull_number}': 1,
      'DELETE /repos/{owner}/{repo}/git/refs/{ref}': 1,
    });
    const [repo] = double.repos();
    expect(await git(['--git-dir', repo.gitDir, 'rev-parse', 'main'])).toBe(
      main,
    );
    expect(repo.branches).toEqual(['main']);
    expect(repo.pulls).toMatchObject([{ state: 'closed', mergedAt: null }]);
    await expect(fleet.close('demo', '2.0.0', 'svc-a')).rejects.toThrow(
      new NotFoundError(`svc-a has no open upgrade ${BRANCH}`),
    );
  });

  it('refuses to merge an upgrade whose conflicts are still marked, naming the service and the file, and merges nothing', async () => {
    await service('svc-b', '1.1.0', { 'app.txt': 'svc-b\nport 4000\n' });
    const [state] = await fleet.upgrade('demo', '2.0.0', () => {});
    expect(state).toMatchObject({ state: 'opened', conflicts: ['app.txt'] });
    const before = double.calls();

    const refused = fleet.merge('demo', '2.0.0', 'svc-b');

    await expect(refused).rejects.toThrow(ConflictError);
    await expect(refused).rejects.toThrow(
      `svc-b: ${BRANCH} still has conflict markers in app.txt; resolve them on the branch first (${double.url}/acme/svc-b/pull/1)`,
    );
    expect(since(before)).toEqual({
      'GET /repos/{owner}/{repo}/pulls': 1,
      'GET /repos/{owner}/{repo}/contents/{path}': 1,
    });
    expect(double.repos()[0].pulls).toMatchObject([{ state: 'open' }]);
  });

  it('reads the conflicts an upgrade pull request body lists', () => {
    expect(
      conflictsInBody(
        'Upgrade to demo@2.0.0 (from 1.1.0)\n\nConflicts to resolve before merging (marked inline):\n- app.txt: both changed\n- b/c.txt: deleted here\n\n## 2.0.0\n',
      ),
    ).toEqual(['app.txt', 'b/c.txt']);
    expect(conflictsInBody('Upgrade\n\nNo conflicts.\n')).toEqual([]);
    expect(conflictsInBody(null)).toEqual([]);
  });
});

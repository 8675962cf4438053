import fs from 'node:fs/promises';
import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  renderToMemory,
  TemplateReleases,
  writeTree,
} from '@paver/golden-path';
import {
  type GoldenPathSummary,
  PLATFORM_GROUP,
} from '@paver/plugin-paver-common';
import {
  makeTemplateRepo,
  startGithubDouble,
  TEST_PLATFORM,
  templateYaml,
} from '@paver/test-utils';
import { tempDir } from '../__testUtils__/mockContext';
import { LocalRepositories } from '../local/localRepositories';
import { platformUserInfoFactory } from '../__testUtils__/platformUserInfo';
import { git } from '../git';
import { paverGoldenPathsModule } from './goldenPathsModule';

const templatesDir = makeTemplateRepo('demo', [
  {
    version: '1.0.0',
    files: {
      'template.yaml': templateYaml('demo', '1.0.0'),
      'skeleton/a.txt.hbs': '{{values.name}} 1\n',
    },
  },
  {
    version: '1.1.0',
    files: {
      'template.yaml': templateYaml('demo', '1.1.0'),
      'skeleton/a.txt.hbs': '{{values.name}} 2\n',
    },
  },
]);

/** A local remote with svc-old (demo 1.0.0) and svc-new (demo 1.1.0). */
async function localRemote(edits: Record<string, string> = {}) {
  const dataDir = await tempDir('paver-golden-paths-');
  const repos = new LocalRepositories(dataDir);
  const releases = new TemplateReleases({
    repoDir: path.dirname(templatesDir),
  });
  for (const [name, version] of [
    ['svc-old', '1.0.0'],
    ['svc-new', '1.1.0'],
  ]) {
    const dir = await tempDir('paver-golden-paths-ws-');
    const files = renderToMemory(
      await releases.load('demo', version),
      { name },
      { platform: TEST_PLATFORM },
    );
    await writeTree(dir, files);
    if (edits[name]) await fs.writeFile(path.join(dir, 'a.txt'), edits[name]);
    await repos.claim(name, `task-${name}`);
    await repos.push(name, dir, 'Create');
  }
  return dataDir;
}

/** The module on a test backend, publishing to the local remote in `dataDir`, or as `config` says. */
async function start(dataDir: string, config: Record<string, unknown> = {}) {
  const backend = await startTestBackend({
    features: [
      paverGoldenPathsModule,
      platformUserInfoFactory,
      mockServices.rootConfig.factory({
        data: {
          paver: {
            templates: { dir: templatesDir },
            publish: { local: { dataDir } },
          },
          ...config,
        },
      }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
    ],
  });
  const url = `http://localhost:${backend.server.port()}/api/scaffolder/paver/golden-paths`;
  return { backend, url };
}

const as = (user: string) => ({
  authorization: mockCredentials.user.header(user),
});

describe('the golden paths routes', () => {
  it('list each golden path with its releases and its services, how far behind and what drifted', async () => {
    const { backend, url } = await start(await localRemote());
    const response = await fetch(url, { headers: as('user:default/guest') });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      items: [
        {
          name: 'demo',
          version: '1.1.0',
          releases: ['1.0.0', '1.1.0'],
          services: [
            {
              name: 'svc-new',
              template: 'demo',
              version: '1.1.0',
              latest: '1.1.0',
              behind: 0,
              drifted: [],
              upgrades: [],
            },
            {
              name: 'svc-old',
              template: 'demo',
              version: '1.0.0',
              latest: '1.1.0',
              behind: 1,
              drifted: [],
              upgrades: [],
            },
          ],
        },
      ],
    });
    expect((await fetch(url)).status).toBe(401);
    await backend.stop();
  });

  it('open upgrade pull requests for the platform group only, streaming one line per service, then list them', async () => {
    const { backend, url } = await start(await localRemote());
    const post = (headers: Record<string, string>, body: unknown) =>
      fetch(`${url}/demo/upgrades`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const refused = await post(as('user:default/guest'), { version: '1.1.0' });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain(
      `only services and members of ${PLATFORM_GROUP} may open upgrade pull requests`,
    );
    const invalid = await post(as('user:default/plat'), { version: 'latest' });
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toContain('version must be a semver version');

    const response = await post(as('user:default/plat'), { version: '1.1.0' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain(
      'application/x-ndjson',
    );
    const lines = (await response.text())
      .trim()
      .split('\n')
      .map(l => JSON.parse(l));
    expect(lines).toEqual([
      { service: 'svc-new', state: 'up-to-date', version: '1.1.0' },
      {
        service: 'svc-old',
        state: 'opened',
        branch: 'paver/upgrade-demo-1.1.0',
        files: 1,
        conflicts: [],
      },
      { done: true, opened: 1, alreadyOpen: 0, upToDate: 1, failed: 0 },
    ]);
    const listed = (await (
      await fetch(url, { headers: as('user:default/guest') })
    ).json()) as {
      items: Array<{ services: Array<{ name: string; upgrades: string[] }> }>;
    };
    expect(
      listed.items[0].services.find(s => s.name === 'svc-old')?.upgrades,
    ).toEqual(['paver/upgrade-demo-1.1.0']);
    await backend.stop();
  });

  it('read the fleet from, open upgrade pull requests on, and merge them on GitHub when the scaffolder publishes there', async () => {
    const double = await startGithubDouble();
    const releases = new TemplateReleases({
      repoDir: path.dirname(templatesDir),
    });
    for (const [name, version] of [
      ['svc-old', '1.0.0'],
      ['svc-new', '1.1.0'],
    ]) {
      const files = renderToMemory(
        await releases.load('demo', version),
        { name },
        { platform: TEST_PLATFORM },
      );
      const topics = [`paver-task-${name}`];
      double.seedRepo({ owner: 'acme', name, topics, files });
    }
    const host = new URL(double.url).host;
    const { backend, url } = await start(await tempDir('paver-unused-'), {
      paver: {
        templates: { dir: templatesDir },
        publish: { provider: 'github', github: { owner: 'acme', host } },
      },
      integrations: {
        github: [
          { host, apiBaseUrl: double.apiBaseUrl, token: double.issueToken() },
        ],
      },
    });

    const response = await fetch(`${url}/demo/upgrades`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...as('user:default/plat'),
      },
      body: JSON.stringify({ version: '1.1.0' }),
    });
    const lines = (await response.text())
      .trim()
      .split('\n')
      .map(l => JSON.parse(l));

    expect(lines).toEqual([
      {
        service: 'svc-new',
        state: 'up-to-date',
        version: '1.1.0',
        writes: [],
      },
      {
        service: 'svc-old',
        state: 'opened',
        branch: 'paver/upgrade-demo-1.1.0',
        files: 1,
        conflicts: [],
        url: `${double.url}/acme/svc-old/pull/1`,
        writes: ['push', 'pull-request'],
      },
      { done: true, opened: 1, alreadyOpen: 0, upToDate: 1, failed: 0 },
    ]);
    expect(
      double.repos().map(r => [r.name, r.pulls.map(p => p.title)]),
    ).toEqual([
      ['svc-old', ['Upgrade to demo@1.1.0']],
      ['svc-new', []],
    ]);
    const overview = async () => {
      const listed = await fetch(url, { headers: as('user:default/guest') });
      expect(listed.status).toBe(200);
      return ((await listed.json()) as { items: GoldenPathSummary[] }).items[0]
        .services;
    };
    expect(await overview()).toMatchObject([
      {
        name: 'svc-new',
        version: '1.1.0',
        behind: 0,
        drifted: [],
        upgrades: [],
      },
      {
        name: 'svc-old',
        version: '1.0.0',
        behind: 1,
        drifted: [],
        upgrades: ['paver/upgrade-demo-1.1.0'],
        upgradeUrls: {
          'paver/upgrade-demo-1.1.0': `${double.url}/acme/svc-old/pull/1`,
        },
      },
    ]);
    const merged = await fetch(`${url}/demo/upgrades/svc-old/merge`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...as('user:default/plat'),
      },
      body: JSON.stringify({ version: '1.1.0' }),
    });
    expect(merged.status).toBe(200);
    expect(await merged.json()).toMatchObject({
      service: 'svc-old',
      merged: true,
      url: `${double.url}/acme/svc-old/pull/1`,
    });
    expect(double.repos()[0]).toMatchObject({
      name: 'svc-old',
      branches: ['main'],
      pulls: [{ state: 'closed' }],
    });
    expect((await overview()).find(s => s.name === 'svc-old')).toMatchObject({
      version: '1.1.0',
      behind: 0,
      upgrades: [],
    });
    await backend.stop();
    await double.stop();
  });

  async function opened(edits: Record<string, string> = {}) {
    const dataDir = await localRemote(edits);
    const { backend, url } = await start(dataDir);
    const post = (route: string, body: unknown, user = 'user:default/plat') =>
      fetch(`${url}/demo/upgrades${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...as(user) },
        body: JSON.stringify(body),
      });
    await (await post('', { version: '1.1.0' })).text();
    const bare = new LocalRepositories(dataDir).barePath('svc-old');
    return { backend, url, post, bare };
  }

  it('merge a conflict-free upgrade into main, after which the service is current', async () => {
    const { backend, url, post, bare } = await opened();
    expect(
      (await post('/svc-old/merge', { version: '1.1.0' }, 'user:default/guest'))
        .status,
    ).toBe(403);
    const merged = await post('/svc-old/merge', { version: '1.1.0' });
    expect(merged.status).toBe(200);
    expect(await merged.json()).toMatchObject({
      service: 'svc-old',
      merged: true,
    });
    expect(await git(['--git-dir', bare, 'show', 'main:a.txt'])).toBe(
      'svc-old 2',
    );
    expect(await git(['--git-dir', bare, 'branch', '--list', 'paver/*'])).toBe(
      '',
    );
    const listed = (await (
      await fetch(url, { headers: as('user:default/guest') })
    ).json()) as {
      items: Array<{
        services: Array<{ name: string; version: string; behind: number }>;
      }>;
    };
    expect(
      listed.items[0].services.find(s => s.name === 'svc-old'),
    ).toMatchObject({ version: '1.1.0', behind: 0 });
    await backend.stop();
  });

  it('refuse to merge while conflict markers remain, and close without touching main', async () => {
    const { backend, post, bare } = await opened({
      'svc-old': 'svc-old edited by the team\n',
    });
    const refused = await post('/svc-old/merge', { version: '1.1.0' });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain(
      'paver/upgrade-demo-1.1.0 still has conflict markers in a.txt',
    );
    const main = await git(['--git-dir', bare, 'rev-parse', 'main']);
    expect((await post('/svc-old/close', { version: '1.1.0' })).status).toBe(
      200,
    );
    expect(await git(['--git-dir', bare, 'rev-parse', 'main'])).toBe(main);
    expect(await git(['--git-dir', bare, 'branch', '--list', 'paver/*'])).toBe(
      '',
    );
    const again = await post('/svc-old/close', { version: '1.1.0' });
    expect(again.status).toBe(404);
    expect(await again.text()).toContain(
      'svc-old has no open upgrade paver/upgrade-demo-1.1.0',
    );
    await backend.stop();
  });
});

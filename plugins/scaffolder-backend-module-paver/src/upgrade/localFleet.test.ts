import fs from 'node:fs/promises';
import path from 'node:path';
import { renderToMemory, writeTree } from '@paver/golden-path';
import { TEST_PLATFORM, tempDir, textLines } from '@paver/test-utils';
import { git } from '../git';
import { LocalRepositories } from '../local/localRepositories';
import type { FleetServiceState } from '@paver/plugin-paver-common';
import { demoReleases } from './__testUtils__/demoReleases';
import { upgradeLocalFleet } from './localFleet';

// Lines under the port that the upgrade leaves alone, so a merge must keep them, and a 1.0.0
// entry the commit message must leave out (the services upgrade from 1.0.0).
const releases = demoReleases({
  appTail: ['a', 'b', 'c'],
  olderChangelog: ['', '## 1.0.0', '', '- first'],
});

/** A local remote holding services made from demo releases, as the embedded publisher leaves them. */
async function fleet(
  services: Array<{ name: string; version: string; edit?: string }>,
) {
  const repositories = new LocalRepositories(
    await tempDir('paver-fleet-data-'),
  );
  for (const { name, version, edit } of services) {
    const dir = await tempDir('paver-fleet-service-');
    const template = await releases.load('demo', version);
    await writeTree(
      dir,
      renderToMemory(template, { name }, { platform: TEST_PLATFORM }),
    );
    if (edit) await fs.writeFile(path.join(dir, 'app.txt'), edit);
    await repositories.claim(name, `task-${name}`);
    await repositories.push(name, dir, `Create ${name}`);
  }
  return repositories;
}

const lastMessage = (
  repositories: LocalRepositories,
  name: string,
  ref: string,
) =>
  git([
    '--git-dir',
    repositories.barePath(name),
    'log',
    '-1',
    '--format=%B',
    ref,
  ]);

describe('upgradeLocalFleet', () => {
  it('opens one upgrade branch per service of the template, with the changelog and conflicts in its commit, and a rerun opens none', async () => {
    const repositories = await fleet([
      { name: 'svc-a', version: '1.0.0' },
      {
        name: 'svc-b',
        version: '1.0.0',
        edit: textLines('svc-b', 'port 4000', 'a', 'b', 'c'),
      },
      { name: 'svc-c', version: '2.0.0' },
    ]);
    const seen: FleetServiceState[] = [];
    const states = await upgradeLocalFleet(repositories, releases, {
      template: 'demo',
      version: '2.0.0',
      onState: s => seen.push(s),
    });
    const branch = 'paver/upgrade-demo-2.0.0';
    expect(states).toEqual([
      { service: 'svc-a', state: 'opened', branch, files: 1, conflicts: [] },
      {
        service: 'svc-b',
        state: 'opened',
        branch,
        files: 1,
        conflicts: ['app.txt'],
      },
      { service: 'svc-c', state: 'up-to-date', version: '2.0.0' },
    ]);
    expect(seen).toEqual(states);
    const message = await lastMessage(repositories, 'svc-b', branch);
    expect(message).toContain('Upgrade to demo@2.0.0 (from 1.0.0)');
    expect(message).toContain('- app.txt: both-changed');
    expect(message).toContain('## 2.0.0\n\n- port 8080');
    expect(message).not.toContain('## 1.0.0');
    // One commit on top of main; main itself untouched.
    const bare = repositories.barePath('svc-a');
    expect(
      await git(['--git-dir', bare, 'rev-list', '--count', `main..${branch}`]),
    ).toBe('1');
    expect(await git(['--git-dir', bare, 'show', `${branch}:app.txt`])).toBe(
      'svc-a\nport 8080\na\nb\nc',
    );
    expect(await git(['--git-dir', bare, 'show', 'main:app.txt'])).toBe(
      'svc-a\nport 3000\na\nb\nc',
    );

    const again = await upgradeLocalFleet(repositories, releases, {
      template: 'demo',
      version: '2.0.0',
    });
    expect(again.map(s => s.state)).toEqual([
      'already-open',
      'already-open',
      'up-to-date',
    ]);
    expect(
      await git(['--git-dir', bare, 'rev-list', '--count', `main..${branch}`]),
    ).toBe('1');
  });

  it('reports a service that cannot be upgraded and carries on with the others', async () => {
    const repositories = await fleet([
      { name: 'svc-a', version: '1.0.0' },
      { name: 'svc-b', version: '1.0.0' },
    ]);
    // svc-a's answers file names a release that does not exist.
    const dir = await tempDir('paver-fleet-broken-');
    await git(['clone', '--quiet', repositories.barePath('svc-a'), dir]);
    const answers = path.join(dir, '.paver/answers.yaml');
    await fs.writeFile(
      answers,
      (
        await fs.readFile(answers, 'utf8')
      ).replace('version: 1.0.0', 'version: 1.5.0'),
    );
    await git([
      '-C',
      dir,
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@example.org',
      'commit',
      '-qam',
      'broken',
    ]);
    await git(['-C', dir, 'push', '--quiet', 'origin', 'HEAD:main']);

    const states = await upgradeLocalFleet(repositories, releases, {
      template: 'demo',
      version: '2.0.0',
    });
    expect(states[0]).toMatchObject({ service: 'svc-a', state: 'failed' });
    expect((states[0] as { error: string }).error).toContain(
      'no release demo@1.5.0',
    );
    expect(states[1]).toMatchObject({ service: 'svc-b', state: 'opened' });
  });
});

import fs from 'node:fs/promises';
import path from 'node:path';
import { ANSWERS_FILE, renderToMemory } from '@paver/golden-path';
import {
  type GithubDouble,
  gitIn,
  type RecordedRequest,
  startGithubDouble,
  TEST_PLATFORM,
  tempDir,
} from '@paver/test-utils';
import { roomyPacer } from '../__testUtils__/githubHarness';
import { git } from '../git';
import { createGithubClient } from '../github';
import { demoReleases } from './__testUtils__/demoReleases';
import { upgradeGithubFleet } from './githubFleet';

const releases = demoReleases();

const FLEET = 50;
// A 50-service run is this file's slow part (tens of seconds on two cores); room for a busy machine.
const FLEET_TIMEOUT = 120_000;
const BRANCH = 'paver/upgrade-demo-2.0.0';
const POST_PULLS = 'POST /repos/{owner}/{repo}/pulls';
const PUSH = 'GIT git-receive-pack';
const names = Array.from(
  { length: FLEET },
  (_, i) => `svc-${String(i).padStart(2, '0')}`,
);

/**
 * A repository in the double as the scaffolder leaves it (marker topic unless `marked: false`):
 * demo 1.0.0 rendered for `name` on main, its answers file rewritten by `answers` if given.
 * Seeded straight into the bare repository: the fleet's own git traffic is what tests count.
 */
async function service(
  double: GithubDouble,
  name: string,
  options: { marked?: boolean; answers?: (text: string) => string } = {},
) {
  const files = renderToMemory(
    await releases.load('demo', '1.0.0'),
    { name },
    { platform: TEST_PLATFORM },
  );
  if (options.answers) {
    const text = files.get(ANSWERS_FILE)!.toString();
    files.set(ANSWERS_FILE, Buffer.from(options.answers(text)));
  }
  const topics =
    options.marked === false ? [] : ['paver', `paver-task-${name}`];
  double.seedRepo({ owner: 'acme', name, topics, files });
}

/** The fleet of 50 services, answers files rewritten as `broken` says by name. */
async function fleetOf(
  double: GithubDouble,
  broken: Record<string, (text: string) => string> = {},
) {
  for (const name of names)
    await service(double, name, { answers: broken[name] });
}

/** Requests of any kind that arrived while a rate-limit answer said to wait. */
function insideRateLimitWindows(requests: RecordedRequest[]) {
  const windows = requests.filter(r => r.limitedUntil !== undefined);
  return requests.filter(r =>
    windows.some(
      w =>
        r !== w &&
        r.receivedAt >= w.respondedAt &&
        r.receivedAt < w.limitedUntil!,
    ),
  );
}

/** How many requests of `endpoint` reached each service's repository, by name. */
function perService(double: GithubDouble, endpoint: string) {
  const counts: Record<string, number> = {};
  for (const r of double.requests()) {
    const name = /^(?:\/api\/v3\/repos)?\/acme\/([^/.]+)/.exec(r.path)?.[1];
    if (r.endpoint === endpoint && r.status < 300 && name)
      counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

describe('upgradeGithubFleet', () => {
  let double: GithubDouble;
  beforeEach(async () => {
    double = await startGithubDouble();
  });
  afterEach(() => double.stop());

  const run = (services?: string[]) =>
    upgradeGithubFleet(
      createGithubClient({
        baseUrl: double.apiBaseUrl,
        getToken: async () => double.issueToken(),
        pacer: roomyPacer(),
      }),
      releases,
      { owner: 'acme', template: 'demo', version: '2.0.0', services },
    );

  it(
    'opens exactly one pull request per service of the template, one push and one POST each, and a rerun writes nothing',
    async () => {
      await fleetOf(double);
      // Not the fleet's: a repository without the marker, and one of another golden path.
      await service(double, 'unmarked', { marked: false });
      await service(double, 'other-path', {
        answers: text => text.replace('template: demo', 'template: other'),
      });

      const states = await run();

      expect(states.map(s => [s.service, s.state])).toEqual(
        names.map(n => [n, 'opened']),
      );
      // The writes per service: 1 push of the upgrade branch + 1 POST …/pulls.
      expect(states.map(s => s.writes)).toEqual(
        names.map(() => ['push', 'pull-request']),
      );
      const perServicePosts = perService(double, POST_PULLS);
      const perServicePushes = perService(double, PUSH);
      expect(names.filter(n => perServicePosts[n] !== 1)).toEqual([]);
      expect(names.filter(n => perServicePushes[n] !== 1)).toEqual([]);
      expect(double.calls(POST_PULLS)).toBe(FLEET);
      expect(double.calls(PUSH)).toBe(FLEET);
      const repos = new Map(double.repos().map(r => [r.name, r]));
      for (const name of names) {
        expect(repos.get(name)?.pulls).toMatchObject([
          {
            number: 1,
            state: 'open',
            title: 'Upgrade to demo@2.0.0',
            head: BRANCH,
            base: 'main',
          },
        ]);
      }
      expect(repos.get('unmarked')?.pulls).toEqual([]);
      expect(repos.get('other-path')?.pulls).toEqual([]);
      expect(repos.get('svc-07')?.pulls[0].body).toContain(
        'Upgrade to demo@2.0.0 (from 1.0.0)\n\nNo conflicts.\n\n## 2.0.0\n\n- port 8080',
      );
      const gitDir = repos.get('svc-07')!.gitDir;
      expect(
        await git(['--git-dir', gitDir, 'show', `${BRANCH}:app.txt`]),
      ).toBe('svc-07\nport 8080');
      expect(states[7]).toMatchObject({
        url: `${double.url}/acme/svc-07/pull/1`,
        files: 1,
        conflicts: [],
      });

      const before = double.calls();
      const again = await run();

      expect(again.map(s => [s.state, s.writes])).toEqual(
        names.map(() => ['already-open', []]),
      );
      expect(again.map(s => s.url)).toEqual(states.map(s => s.url));
      const after = double.calls();
      expect(after[POST_PULLS]).toBe(before[POST_PULLS]);
      expect(after[PUSH]).toBe(before[PUSH]);
      // Not even a clone: the open pull request is found before any git traffic.
      expect(after['GIT info/refs']).toBe(before['GIT info/refs']);
    },
    FLEET_TIMEOUT,
  );

  // One fleet for both, to keep the file fast: each is asserted on its own.
  it(
    'opens every pull request through a secondary rate limit, sending nothing inside its retry-after window, and a broken answers file fails alone',
    async () => {
      await fleetOf(double, {
        'svc-13': text => text.replace('version: 1.0.0', 'version: one'),
      });
      double.inject({
        kind: 'secondary-rate-limit',
        status: 403,
        retryAfterSeconds: 1,
        endpoint: POST_PULLS,
      });

      const states = await run();

      // The broken one fails alone, with no write; the other 49 are opened.
      expect(states.filter(s => s.state !== 'opened')).toEqual([
        {
          service: 'svc-13',
          state: 'failed',
          error: expect.stringContaining('version must be a semver version'),
          writes: [],
        },
      ]);
      expect(states.filter(s => s.state === 'opened')).toHaveLength(FLEET - 1);
      const repos = double.repos();
      const broken = repos.find(r => r.name === 'svc-13')!;
      expect([broken.branches, broken.pulls]).toEqual([['main'], []]);
      expect(
        repos.filter(r => r.name !== 'svc-13').map(r => r.pulls.length),
      ).toEqual(Array(FLEET - 1).fill(1));
      // The rate-limited POST was waited out and sent again: 49 pull requests, 50 POSTs.
      const requests = double.requests();
      const limited = requests.filter(r => r.status === 403);
      expect(limited).toHaveLength(1);
      expect(double.calls(POST_PULLS)).toBe(FLEET);
      const later = requests.filter(r => r.receivedAt > limited[0].receivedAt);
      expect(later.length).toBeGreaterThan(FLEET);
      expect(insideRateLimitWindows(requests)).toEqual([]);
      expect(Math.min(...later.map(r => r.receivedAt))).toBeGreaterThanOrEqual(
        limited[0].limitedUntil!,
      );
    },
    FLEET_TIMEOUT,
  );

  it('upgrades named services, reporting one GitHub does not have as failed', async () => {
    await Promise.all(['svc-00', 'svc-01'].map(n => service(double, n)));

    const states = await run(['ghost', 'svc-01']);

    expect(states.map(s => [s.service, s.state])).toEqual([
      ['ghost', 'failed'],
      ['svc-01', 'opened'],
    ]);
    expect(double.repos().map(r => [r.name, r.pulls.length])).toEqual([
      ['svc-00', 0],
      ['svc-01', 1],
    ]);
  });

  it('reuses an upgrade branch an earlier run pushed without opening its pull request, pushing nothing over it', async () => {
    await service(double, 'svc-00');
    const [repo] = double.repos();
    // The earlier run: its commit is on the branch, and then it stopped.
    const earlier = await tempDir('paver-github-fleet-earlier-');
    gitIn(earlier, 'clone', '--quiet', repo.gitDir, '.');
    gitIn(earlier, 'checkout', '--quiet', '-b', BRANCH);
    await fs.writeFile(path.join(earlier, 'app.txt'), 'svc-00\nport 8080\n');
    gitIn(earlier, 'commit', '--quiet', '-am', 'Upgrade to demo@2.0.0');
    gitIn(earlier, 'push', '--quiet', 'origin', BRANCH);
    const tip = gitIn(earlier, 'rev-parse', 'HEAD').trim();

    const [state] = await run();

    expect(state).toMatchObject({ state: 'opened', writes: ['pull-request'] });
    expect(double.calls(PUSH)).toBe(0);
    expect(await git(['--git-dir', repo.gitDir, 'rev-parse', BRANCH])).toBe(
      tip,
    );
    expect(double.repos()[0].pulls).toMatchObject([{ head: BRANCH }]);
  });

  it('opens one pull request, not two, when GitHub opened it but the answer was lost (502)', async () => {
    await service(double, 'svc-00');
    double.inject({ kind: 'create-502' });

    const [state] = await run();

    // The retried POST is refused as a duplicate; the open one is looked up and reported.
    expect(state).toMatchObject({
      state: 'opened',
      url: `${double.url}/acme/svc-00/pull/1`,
      writes: ['push', 'pull-request'],
    });
    expect(double.calls(POST_PULLS)).toBe(2);
    expect(double.repos()[0].pulls).toHaveLength(1);
  });
});

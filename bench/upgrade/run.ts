// Fleet upgrade figures: a fleet of services in local git repositories, made from released
// versions of the three golden paths (some edited by their teams), then
//   - the drift page's work: for every service, versions behind and the files that drifted;
//   - one service upgraded with paver upgrade's engine (no install, no tests);
//   - upgrade pull requests per minute for a fleet on the GitHub double (pullRequests.ts).
//
//   ./paverw yarn tsx bench/upgrade/run.ts --services 200 --pull-requests 50 --write
//   (--smoke: 6 services, 1 run, 3 pull requests)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  loadTemplate,
  parseAnswersYaml,
  readServiceRecord,
  renderToMemory,
  serviceDrift,
  TemplateReleases,
  upgradeService,
  writeTree,
} from '@paver/golden-path';
import { flag, numberArg } from '../args';
import { writeTable } from '../results';
import { median, quantile } from '../stats';
import { timePullRequests } from './pullRequests';

const ROOT = path.resolve(__dirname, '../..');
const SMOKE = flag('smoke');
const SERVICES = SMOKE ? 6 : numberArg('services', 200);
const RUNS = SMOKE ? 1 : numberArg('runs', 5);
const PULL_REQUESTS = SMOKE ? 3 : numberArg('pull-requests', 50);
const PLATFORM = {
  npmRegistry: 'http://127.0.0.1:9/paver/npm/',
  dashboardUrlPattern: null,
  githubOrg: null,
};
// The fleet's mix: each entry a release services are made from.
const RELEASES = [
  ['billing-service', '1.0.0'],
  ['billing-service', '2.0.0'],
  ['auth-service', '1.0.0'],
  ['auth-service', '1.1.0'],
  ['auth-service', '2.0.0'],
  ['notification-service', '1.1.0'],
  ['notification-service', '2.0.0'],
] as const;

const git = (cwd: string, ...args: string[]) =>
  execFileSync(
    'git',
    ['-c', 'user.name=b', '-c', 'user.email=b@example.org', ...args],
    {
      cwd,
      encoding: 'utf8',
    },
  );

async function makeFleet(releases: TemplateReleases, dir: string) {
  const services: string[] = [];
  for (let i = 0; i < SERVICES; i++) {
    const [name, version] = RELEASES[i % RELEASES.length];
    const template = await releases.load(name, version);
    const fixture = path.join(ROOT, 'templates', name, 'fixtures/answers.yaml');
    const answers = {
      ...parseAnswersYaml(fs.readFileSync(fixture, 'utf8')),
      name: `svc-${i}`,
    };
    const repo = path.join(dir, `svc-${i}`);
    fs.mkdirSync(repo);
    await writeTree(
      repo,
      renderToMemory(template, answers, { platform: PLATFORM }),
    );
    // Every other team has edited its README and its CI workflow.
    if (i % 2 === 1) {
      fs.appendFileSync(path.join(repo, 'README.md'), '\nOur own notes.\n');
      fs.appendFileSync(
        path.join(repo, '.github/workflows/ci.yml'),
        '# team\n',
      );
    }
    git(repo, 'init', '-q');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'created');
    services.push(repo);
  }
  return services;
}

async function timeDrift(releases: TemplateReleases, services: string[]) {
  const started = performance.now();
  const drift = await Promise.all(services.map(s => serviceDrift(s, releases)));
  return { seconds: (performance.now() - started) / 1000, drift };
}

async function timeUpgrade(releases: TemplateReleases, repo: string) {
  const target = loadTemplate(path.join(ROOT, 'templates/billing-service'));
  const seconds: number[] = [];
  let changed = 0;
  for (let run = 0; run < RUNS; run++) {
    git(repo, 'reset', '-q', '--hard');
    git(repo, 'clean', '-qfd');
    const started = performance.now();
    const record = await readServiceRecord(repo);
    const base = await releases.load(record.template, record.version);
    const result = await upgradeService({
      repoDir: repo,
      record,
      base,
      target,
      answers: record.answers,
    });
    seconds.push((performance.now() - started) / 1000);
    changed = result.outcomes.length;
  }
  return { seconds, changed };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paver-bench-upgrade-'));
  try {
    const releases = new TemplateReleases({ repoDir: ROOT });
    const built = performance.now();
    const services = await makeFleet(releases, dir);
    console.error(
      `fleet of ${services.length} made in ${(
        (performance.now() - built) /
        1000
      ).toFixed(1)} s`,
    );
    const rounds = [];
    for (let run = 0; run < RUNS; run++)
      rounds.push(await timeDrift(releases, services));
    const drift = rounds[0].drift;
    const behind = drift.filter(d => d.behind > 0).length;
    const drifted = drift.filter(d => d.drifted.length > 0).length;
    // An edited billing-service 1.0.0 (index 7) where the fleet has one; the smoke fleet has only 0.
    const upgrade = await timeUpgrade(
      releases,
      services[services.length > 7 ? 7 : 0],
    );
    const pulls = await timePullRequests(
      releases,
      ROOT,
      PULL_REQUESTS,
      PLATFORM,
    );
    const driftTimes = rounds.map(r => r.seconds);
    const table = [
      '| measure | runs | median | p90 | range | target |',
      '| ------- | ---- | ------ | --- | ----- | ------ |',
      `| drift page: ${
        services.length
      } services (${behind} behind, ${drifted} with drifted files) | ${RUNS} | ${median(
        driftTimes,
      ).toFixed(2)} s | ${quantile(driftTimes, 0.9).toFixed(2)} s | ${Math.min(
        ...driftTimes,
      ).toFixed(2)}–${Math.max(...driftTimes).toFixed(2)} s | < 10 s |`,
      `| one service upgraded, billing-service 1.0.0 → working copy (${
        upgrade.changed
      } files changed; no install, no tests) | ${RUNS} | ${(
        median(upgrade.seconds) * 1000
      ).toFixed(0)} ms | ${(quantile(upgrade.seconds, 0.9) * 1000).toFixed(
        0,
      )} ms | ${(Math.min(...upgrade.seconds) * 1000).toFixed(0)}–${(
        Math.max(...upgrade.seconds) * 1000
      ).toFixed(0)} ms | < 1 s |`,
      `| upgrade pull requests on the GitHub double: ${
        pulls.services
      } services, billing-service 1.0.0 → 2.0.0, half edited; default pacing (80/min, 500/h, 1 s apart); ${
        pulls.writes
      } writes (a push and a POST each), at most ${
        pulls.busiestMinute
      } POSTs in any minute | 1 | ${pulls.perMinute.toFixed(1)} PRs/min | – | ${
        pulls.opened
      } opened in ${pulls.seconds.toFixed(
        1,
      )} s | ≥ 40/min, never over 80 POSTs a minute |`,
    ].join('\n');
    console.log(table);
    if (SMOKE)
      console.log(
        `smoke: drift for ${services.length} services, one upgrade, ${pulls.opened} pull requests on the GitHub double`,
      );
    if (flag('write')) writeTable(path.join(__dirname, 'RESULTS.md'), table);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});

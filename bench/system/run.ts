// `paver dev` on the three golden paths, as a developer runs it beside their clones: rendered from
// the working copy with the fixture answers, installed from the @paver packages as packed now.
// Per round: from starting `paver dev --no-build` to every process ready (its PostgreSQL, NATS and
// mail sink, then auth, billing, notification and its worker in dependency order); then sign-ups
// one at a time, each timed from auth accepting it (202) to its welcome email at the stack's sink
// (auth's outbox → NATS → notification's consumer → its worker → SMTP); then Ctrl-C until exit.
// The first round builds (npm ci, npm run build) and is reported on its own.
//
//   ./paverw yarn tsx bench/system/run.ts --rounds 3 --write   also rewrite RESULTS.md's table
//   ./paverw yarn tsx bench/system/run.ts --smoke              render and read the stack only
//
// There is no stock alternative to run beside it: Backstage has no local runner, and Compose or
// Tilt would need a container engine, which this machine does not have.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startOrder } from '@paver/cli/src/dev/order';
import { readStackFile } from '@paver/cli/src/dev/stackFile';
import { readService } from '@paver/cli/src/dev/workloads';
import {
  loadTemplate,
  parseAnswersYaml,
  renderTemplate,
  type PlatformSettings,
} from '@paver/golden-path';
import { removeTempDirs, TEST_PLATFORM, tempDir } from '@paver/test-utils';
import { stringify } from 'yaml';
import { REPO_ROOT } from '../../packages/e2e/src/backend/backendProcess';
import { FIXTURE_ANSWERS } from '../../packages/e2e/src/services/golden-paths';
import {
  startPaverDev,
  type PaverDev,
} from '../../packages/e2e/src/services/paverDev';
import { flag, numberArg } from '../args';
import { servePaverPackages } from '../registry';
import { writeTable } from '../results';
import { median, quantile } from '../stats';

const SMOKE = flag('smoke');
const ROUNDS = numberArg('rounds', 3);
const SIGN_UPS = numberArg('sign-ups', 10);
const GOLDEN_PATHS = [
  'auth-service',
  'billing-service',
  'notification-service',
];

async function main() {
  const work = await tempDir('paver-bench-system-');
  const registry = SMOKE ? undefined : await servePaverPackages();
  try {
    const platform: PlatformSettings = registry
      ? {
          npmRegistry: registry.url,
          dashboardUrlPattern: null,
          githubOrg: null,
        }
      : TEST_PLATFORM;
    const stackFile = await writeStack(work, platform);
    if (SMOKE) {
      const services = readStack(stackFile);
      console.log(
        `smoke: a stack of ${services.length} services read, ${
          services.flatMap(s => s.workloads).length
        } processes, started in the order ${services
          .map(s => s.name)
          .join(', ')}`,
      );
      return;
    }
    const first = await round(stackFile, { build: true });
    const rounds = [];
    for (let i = 0; i < ROUNDS; i++) rounds.push(await round(stackFile, {}));
    report(first, rounds);
  } finally {
    await registry?.close();
    await removeTempDirs();
  }
}

/** The three rendered beside a paver-dev.yaml, as a developer's meta-repository would hold them. */
async function writeStack(work: string, platform: PlatformSettings) {
  const services = [];
  for (const name of GOLDEN_PATHS) {
    const template = loadTemplate(path.join(REPO_ROOT, 'templates', name));
    const answers = parseAnswersYaml(
      fs.readFileSync(path.join(template.dir, FIXTURE_ANSWERS), 'utf8'),
    );
    const dir = String(answers.name);
    await renderTemplate(template, answers, {
      targetDir: path.join(work, dir),
      platform,
    });
    services.push({ path: dir });
  }
  const stackFile = path.join(work, 'paver-dev.yaml');
  fs.writeFileSync(stackFile, stringify({ services }));
  return stackFile;
}

/** What `paver dev` reads before it builds or starts anything. */
const readStack = (stackFile: string) =>
  startOrder(readStackFile(stackFile).services.map(s => readService(s.path)));

interface Round {
  readyMs: number;
  mailMs: number[];
  stopMs: number;
}

async function round(
  stackFile: string,
  { build = false }: { build?: boolean },
): Promise<Round> {
  const started = Date.now();
  const dev = await startPaverDev(stackFile, { build, timeoutMs: 600_000 });
  const readyMs = Date.now() - started;
  const mailMs: number[] = [];
  try {
    const auth = Object.entries(dev.state.services).find(([name]) =>
      name.startsWith('auth'),
    )![1];
    for (let i = 0; i < SIGN_UPS; i++) mailMs.push(await signUp(dev, auth.url));
  } catch (error) {
    await dev.interrupt();
    throw error;
  }
  const stopping = Date.now();
  const code = await dev.interrupt();
  if (code !== 0) throw new Error(`paver dev exited ${code}:\n${dev.output()}`);
  const stopMs = Date.now() - stopping;
  console.log(
    `round: ready in ${(readyMs / 1000).toFixed(1)} s${
      build ? ' (with npm ci and build)' : ''
    }, welcome email median ${median(mailMs).toFixed(0)} ms, stopped in ${(
      stopMs / 1000
    ).toFixed(1)} s`,
  );
  return { readyMs, mailMs, stopMs };
}

/** One sign-up; ms from auth's 202 to the welcome email's line at the sink. */
async function signUp(dev: PaverDev, authUrl: string): Promise<number> {
  const email = `bench-${randomUUID().slice(0, 8)}@example.org`;
  const res = await fetch(`${authUrl}/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'a long enough passphrase' }),
  });
  if (res.status !== 202) throw new Error(`sign-up answered ${res.status}`);
  const accepted = Date.now();
  await dev.waitForLine(
    new RegExp(`^mail \\| to ${email}: Welcome aboard`),
    30_000,
  );
  return Date.now() - accepted;
}

function report(first: Round, rounds: Round[]) {
  const s = (ms: number) => (ms / 1000).toFixed(1);
  const ready = rounds.map(r => r.readyMs);
  const stop = rounds.map(r => r.stopMs);
  const mail = rounds.flatMap(r => r.mailMs);
  const table = [
    '| measure | samples | median | range or p99 |',
    '| ------- | ------- | ------ | ------------ |',
    `| first start: npm ci and build of 3 services, then all ready | 1 | ${s(
      first.readyMs,
    )} s | |`,
    `| \`paver dev --no-build\` until all 4 processes ready (target ≤ 15 s) | ${
      ready.length
    } | ${s(median(ready))} s | ${s(Math.min(...ready))}–${s(
      Math.max(...ready),
    )} s |`,
    `| sign-up accepted → welcome email at the sink | ${mail.length} | ${median(
      mail,
    ).toFixed(0)} ms | p99 ${quantile(mail, 0.99).toFixed(0)} ms |`,
    `| Ctrl-C until every process, NATS and PostgreSQL stopped | ${
      stop.length
    } | ${s(median(stop))} s | ${s(Math.min(...stop))}–${s(
      Math.max(...stop),
    )} s |`,
  ].join('\n');
  console.log(table);
  if (flag('write')) writeTable(path.join(__dirname, 'RESULTS.md'), table);
}

void main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});

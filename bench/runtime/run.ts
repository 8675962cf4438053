// The move onto @paver/service-runtime, measured side by side in one run: per golden path, the
// lines of TypeScript a generated repository carries before (the copied src/platform/ layer, at
// the last commit that had it) and after (the working tree); then billing-service's
// `GET /plans`, built and started from both renders against the same PostgreSQL with 20 plans,
// under the same fixed load (autocannon: 10 connections, --seconds per round), rounds
// interleaved before/after so drift on a noisy machine hits both.
//
//   ./paverw yarn tsx bench/runtime/run.ts                      3 rounds of 10 s each
//   ./paverw yarn tsx bench/runtime/run.ts --rounds 5 --write   also rewrite RESULTS.md's table
//   ./paverw yarn tsx bench/runtime/run.ts --smoke              lines of code only (./paverw test)
//   ... --before <rev>                                          another "before" commit
//
// Each service is installed with `npm ci` from its committed lockfile and runs with only PATH,
// HOME and the machine's CA settings, as a new user would run it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import {
  loadTemplate,
  parseAnswersYaml,
  renderToMemory,
  writeTree,
  type PlatformSettings,
} from '@paver/golden-path';
import {
  removeTempDirs,
  startPostgres,
  tempDir,
  TEST_PLATFORM,
} from '@paver/test-utils';
import { REPO_ROOT } from '../../packages/e2e/src/backend/backendProcess';
import { FIXTURE_ANSWERS } from '../../packages/e2e/src/services/golden-paths';
import { newUserEnv } from '../../packages/e2e/src/services/newUserEnv';
import { runStep } from '../../packages/e2e/src/services/run-step';
import { startService } from '../../packages/e2e/src/services/runningService';
import { flag, numberArg } from '../args';
import { servePaverPackages } from '../registry';
import { writeTable } from '../results';
import { median } from '../stats';

/** The last commit whose golden paths copied the platform layer (billing-service@1.0.0). */
const DEFAULT_BEFORE = '5626828';
const GOLDEN_PATHS = [
  'auth-service',
  'billing-service',
  'notification-service',
];
const smoke = flag('smoke');
const rounds = numberArg('rounds', 3);
const seconds = numberArg('seconds', 10);
const STEP_MS = 10 * 60_000;

function stringArg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
}

/** `templates/` as it was at `rev`, extracted from git into `dir`. */
function templatesAt(rev: string, dir: string): string {
  const archive = execFileSync('git', ['archive', rev, 'templates'], {
    cwd: REPO_ROOT,
    maxBuffer: 256 * 1024 * 1024,
  });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  return path.join(dir, 'templates');
}

async function render(
  templatesRoot: string,
  name: string,
  platform: PlatformSettings,
  target: string,
): Promise<Map<string, Buffer>> {
  const template = loadTemplate(path.join(templatesRoot, name));
  const answers = parseAnswersYaml(
    fs.readFileSync(path.join(template.dir, FIXTURE_ANSWERS), 'utf8'),
  );
  const files = renderToMemory(template, answers, { platform });
  await writeTree(target, files);
  return files;
}

/** Non-blank lines of the TypeScript files under `prefix` ('' for the whole repository). */
function linesOfTs(files: Map<string, Buffer>, prefix = ''): number {
  let lines = 0;
  for (const [file, content] of files) {
    if (!file.startsWith(prefix) || !file.endsWith('.ts')) continue;
    lines += content
      .toString('utf8')
      .split('\n')
      .filter(l => l.trim() !== '').length;
  }
  return lines;
}

interface LocRow {
  template: string;
  before: { total: number; src: number; platform: number };
  after: { total: number; src: number };
}

interface Load {
  rps: number[];
  p99: number[];
}

async function main() {
  const before = stringArg('before', DEFAULT_BEFORE);
  const work = await tempDir('paver-bench-runtime-');
  const oldTemplates = templatesAt(
    before,
    await tempDir('paver-bench-runtime-old-'),
  );
  const newTemplates = path.join(REPO_ROOT, 'templates');
  // Counting lines needs no install; the load rounds install from the packages as packed now.
  const registry = smoke ? undefined : await servePaverPackages();
  const platform: PlatformSettings = registry
    ? { npmRegistry: registry.url, dashboardUrlPattern: null, githubOrg: null }
    : TEST_PLATFORM;
  const postgres = smoke ? undefined : await startPostgres();
  try {
    const loc: LocRow[] = [];
    for (const name of GOLDEN_PATHS) {
      const old = await render(
        oldTemplates,
        name,
        platform,
        path.join(work, `${name}-before`),
      );
      const now = await render(
        newTemplates,
        name,
        platform,
        path.join(work, `${name}-after`),
      );
      loc.push({
        template: name,
        before: {
          total: linesOfTs(old),
          src: linesOfTs(old, 'src/'),
          platform: linesOfTs(old, 'src/platform/'),
        },
        after: { total: linesOfTs(now), src: linesOfTs(now, 'src/') },
      });
    }
    const load = postgres
      ? await measureLoad(work, postgres.connectionString)
      : undefined;
    report(before, loc, load);
  } finally {
    await postgres?.stop();
    await registry?.close();
    await removeTempDirs();
  }
}

/** Builds both billing renders, seeds each schema with 20 plans, then interleaves load rounds. */
async function measureLoad(
  work: string,
  databaseUrl: string,
): Promise<{ before: Load; after: Load }> {
  const services = [];
  for (const side of ['before', 'after'] as const) {
    const dir = path.join(work, `billing-service-${side}`);
    const env = newUserEnv();
    await runStep('npm', ['ci', '--no-audit', '--no-fund'], {
      cwd: dir,
      env,
      timeoutMs: STEP_MS,
    });
    await runStep('npm', ['run', 'build'], {
      cwd: dir,
      env,
      timeoutMs: STEP_MS,
    });
    const service = await startService(dir, {
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: `bench_${side}`,
      LOG_LEVEL: 'warn',
    });
    services.push({ side, service });
    await seedPlans(service.url, 20);
  }
  const results = {
    before: { rps: [], p99: [] },
    after: { rps: [], p99: [] },
  } as {
    before: Load;
    after: Load;
  };
  try {
    for (const { service } of services) await loadRound(service.url, 2); // warm-up
    for (let round = 0; round < rounds; round++) {
      for (const { side, service } of round % 2
        ? [...services].reverse()
        : services) {
        const r = await loadRound(service.url, seconds);
        results[side].rps.push(r.requests.average);
        results[side].p99.push(r.latency.p99);
        console.error(
          `[runtime] round ${round + 1} ${side}: ${r.requests.average.toFixed(
            0,
          )} req/s, p99 ${r.latency.p99} ms, ${r.non2xx} non-2xx`,
        );
        if (r.non2xx > 0 || r.errors > 0) {
          throw new Error(
            `${side}: ${r.non2xx} non-2xx answers and ${r.errors} errors under load`,
          );
        }
      }
    }
  } finally {
    for (const { service } of services) await service.stop();
  }
  return results;
}

async function seedPlans(baseUrl: string, count: number) {
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${baseUrl}/plans`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': `seed-${i}`,
      },
      body: JSON.stringify({
        code: `plan-${i}`,
        name: `Plan ${i}`,
        currency: 'EUR',
        amountMinor: 1000 + i,
        interval: 'month',
        meters: [
          { meter: 'api_calls', unitAmountMinor: 2, includedQuantity: 1000 },
        ],
      }),
    });
    if (res.status !== 201)
      throw new Error(`seeding plan ${i}: ${res.status} ${await res.text()}`);
  }
}

function loadRound(baseUrl: string, duration: number) {
  return autocannon({ url: `${baseUrl}/plans`, connections: 10, duration });
}

function report(
  before: string,
  loc: LocRow[],
  load: { before: Load; after: Load } | undefined,
) {
  const locTable = [
    `| golden path | TypeScript lines before (${before}) | of which src/platform/ | after | change | src/ before → after |`,
    '| --- | --: | --: | --: | --: | --: |',
    ...loc.map(r => {
      const change = ((r.after.total - r.before.total) / r.before.total) * 100;
      return `| ${r.template} | ${r.before.total} | ${r.before.platform} | ${
        r.after.total
      } | ${change.toFixed(0)} % | ${r.before.src} → ${r.after.src} |`;
    }),
  ];
  const loadTable = load
    ? [
        '',
        `| billing-service \`GET /plans\` (20 plans, 10 connections, ${seconds} s × ${rounds} rounds) | requests/s | p99 latency |`,
        '| --- | --: | --: |',
        ...(['before', 'after'] as const).map(
          side =>
            `| ${
              side === 'before'
                ? `before (${before}, node:http)`
                : 'after (@paver/service-runtime, Fastify)'
            } | ${range(load[side].rps, 0)} | ${range(load[side].p99, 0)} ms |`,
        ),
      ]
    : [];
  const table = [...locTable, ...loadTable].join('\n');
  console.log(table);
  if (smoke)
    console.log(`smoke: lines of code counted for ${loc.length} golden paths`);
  if (flag('write') && !smoke)
    writeTable(path.join(__dirname, 'RESULTS.md'), table);
}

const range = (xs: number[], digits: number) =>
  `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(
    ...xs,
  ).toFixed(digits)})`;

main().catch(error => {
  console.error(`[runtime] failed: ${error?.stack ?? error}`);
  process.exit(1);
});

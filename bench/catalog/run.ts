// Catalog benchmark: ingestion throughput of a large synthetic organisation, and `paver who-owns`
// latency on the ingested catalog, at stock catalog settings and at Paver's, in one run.
// Run from the repository root:
//   ./paverw yarn tsx bench/catalog/run.ts                 100,000 entities, both settings
//   ./paverw yarn tsx bench/catalog/run.ts --write         also rewrite the block in RESULTS.md
//   ./paverw yarn tsx bench/catalog/run.ts --smoke         Paver's setting only, 500 entities, 2 s of
//                                                          load: the test suite's check that it runs
// Flags: --entities N (default 100000), --per-file N (entities per location file, default 250),
// --clients N (concurrent who-owns clients, default 20), --seconds N (of who-owns load, default
// 30), --timeout-min N (per setting, for the ingestion, default 25), --rounds N (default 1; the
// order alternates stock/Paver, Paver/stock, ...), --only stock|paver, --seed N, --diagnose (adds
// a third, diagnostic setting: Paver's without its on-call rules processor, settings.ts).
//
// Per setting and round: a fresh throwaway PostgreSQL cluster and a fresh backend process
// (packages/backend, app-config.yaml plus the setting's overlay, settings.ts); once it is ready
// and has processed and stitched its own catalog (catalog/all.yaml, the golden paths), every
// location file (org.ts, files.ts, served by this process over HTTP) is registered with POST
// /api/catalog/locations, 16 at a time. The clock runs from the first POST until the catalog's
// own tables (catalogDb.ts) show every entity processed and stitched and the stitch queue empty.
// Then `paver who-owns` on random Components (whoOwnsLoad.ts): one client for a third of
// --seconds, then --clients concurrent clients for --seconds.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startPostgres } from '@paver/test-utils';
import {
  TEST_TOKEN,
  spawnBackend,
  waitForReady,
  type BackendProcess,
} from '../../packages/e2e/src/backend/backendProcess';
import { choiceArg, flag, numberArg } from '../args';
import {
  loadAverage,
  machine,
  postgresConfig,
  saveRunReport,
  sleep,
} from '../backendBench';
import { writeResultsBlock } from '../results';
import { connectCatalogDb } from './catalogDb';
import { cpuMeter } from './cpu';
import { FILES_PATH, serveFiles, toFiles } from './files';
import { ingest, waitForQuiet } from './ingest';
import { generateOrg } from './org';
import {
  checkLines,
  entitiesPerSecond,
  ingestTable,
  orgLine,
  progressLines,
  summaryLines,
  whoOwnsTable,
  type SettingResult,
} from './report';
import { DIAGNOSTIC, SETTINGS, type Setting } from './settings';
import { whoOwnsClient } from './whoOwnsLoad';

// --smoke (bench/smoke.test.ts): one setting, a small catalog, a short load; it proves the bench
// still runs (generation, ingestion, the completion check, who-owns), its figures mean nothing.
const SMOKE = flag('smoke');
const ENTITIES = SMOKE ? 500 : numberArg('entities', 100_000);
const PER_FILE = SMOKE ? 100 : numberArg('per-file', 250);
const CLIENTS = numberArg('clients', 20);
const SECONDS = SMOKE ? 2 : numberArg('seconds', 30);
const TIMEOUT_MIN = SMOKE ? 3 : numberArg('timeout-min', 25);
const ROUNDS = SMOKE ? 1 : numberArg('rounds', 1);
const ONLY = SMOKE
  ? 'paver'
  : choiceArg('only', ['stock', 'paver', 'both'] as const, 'both');
const DIAGNOSE = flag('diagnose');
const SINGLE_SECONDS = Math.max(1, Math.round(SECONDS / 3));
const SEED = numberArg('seed', 12);
const WRITE = flag('write');

const log = (msg: string) => console.log(`\x1b[1m[catalog]\x1b[0m ${msg}`);

/**
 * What every setting shares: the file host the catalog may read, a temp data dir, and no portal
 * frontend (the app plugin fails its start while another build rewrites packages/app/dist; it
 * plays no part here).
 */
function benchConfig(dataDir: string, filesPort: number) {
  return {
    backend: {
      startup: { plugins: { app: { onPluginBootFailure: 'continue' } } },
      reading: {
        allow: [{ host: `localhost:${filesPort}`, paths: [FILES_PATH] }],
      },
    },
    paver: { publish: { provider: 'local', local: { dataDir } } },
  };
}

async function runSetting(
  setting: Setting,
  round: number,
  urls: string[],
  filesPort: number,
  expected: number,
  components: string[],
): Promise<SettingResult> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'paver-bench-catalog-'));
  log(
    `${
      setting.label
    }, round ${round}: PostgreSQL and the backend (load ${loadAverage()})`,
  );
  const pg = await startPostgres();
  let backend: BackendProcess | undefined;
  const stop = async () => {
    await backend?.stop();
    await pg.stop();
    fs.rmSync(work, { recursive: true, force: true });
  };
  const onSigint = () => void stop().then(() => process.exit(130));
  process.once('SIGINT', onSigint);
  const result: SettingResult = {
    setting,
    round,
    readyMs: NaN,
    ingest: undefined as never,
    ingestCpu: { backendS: 0, postgresS: 0, wallS: 1 },
    checks: [],
  };
  try {
    backend = await spawnBackend({
      configFiles: ['app-config.yaml'],
      override: [
        postgresConfig(pg),
        benchConfig(path.join(work, 'data'), filesPort),
        setting.overlay,
      ],
    });
    result.readyMs = await waitForReady(backend, 240_000);
    log(`  ready in ${(result.readyMs / 1000).toFixed(1)} s`);
    const db = await connectCatalogDb(pg);
    try {
      const quiet = await waitForQuiet(db, 180_000);
      log(`  its own catalog processed and stitched: ${quiet.known} entities`);
      const cpu = cpuMeter(backend.child.pid!, pg.port);
      cpu.start();
      result.ingest = await ingest({
        backend,
        db,
        urls,
        expected,
        timeoutMs: TIMEOUT_MIN * 60_000,
        log,
      });
      result.ingestCpu = cpu.read();
      const eps = entitiesPerSecond(result.ingest);
      log(
        result.ingest.doneMs === undefined
          ? `  NOT done after ${TIMEOUT_MIN} min: ${result.ingest.final.stitched} served, ${result.ingest.final.errored} with errors`
          : `  ${expected} entities processed and stitched in ${(
              result.ingest.doneMs / 1000
            ).toFixed(1)} s: ${eps!.toFixed(
              0,
            )} entities/s (load ${loadAverage()})`,
      );
      for (const e of result.ingest.errors) log(`  error: ${e}`);

      const client = whoOwnsClient(backend.baseUrl, TEST_TOKEN);
      for (const name of [components[0], components[1], components[7]])
        result.checks.push(await client.check(name));
      for (const c of result.checks)
        log(
          `  check who-owns ${c.name}: owner ${c.owner}, ${
            c.members
          } members, on call ${c.onCallNow}, ${
            c.escalationLevels
          } levels, depended on by ${c.dependedOnBy}${
            c.problem ? `, problem ${c.problem}` : ''
          }`,
        );
      const broken = result.checks.filter(
        c =>
          !c.owner ||
          c.members === 0 ||
          !c.onCallNow ||
          c.problem ||
          (c.name === components[0] && !c.slo),
      );
      if (broken.length && result.ingest.doneMs !== undefined)
        throw new Error(
          `who-owns found an incomplete answer: ${JSON.stringify(broken[0])}`,
        );

      // Warm-up (unmeasured), one client, then the concurrent clients.
      await client.load({
        names: components,
        clients: 4,
        seconds: SMOKE ? 1 : 3,
      });
      result.single = await client.load({
        names: components,
        clients: 1,
        seconds: SINGLE_SECONDS,
      });
      const dueAtStart = (await db.counts()).due;
      cpu.start();
      result.loaded = await client.load({
        names: components,
        clients: CLIENTS,
        seconds: SECONDS,
      });
      result.loadCpu = cpu.read();
      result.dueDuringLoad = [dueAtStart, (await db.counts()).due];
      for (const run of [result.single, result.loaded]) {
        const lat = [...run.latencies].sort((a, b) => a - b);
        log(
          `  who-owns, ${run.clients} client(s): ${lat.length} in ${
            run.seconds
          } s, p50 ${lat[Math.floor(lat.length / 2)]?.toFixed(1)} ms, p99 ${lat[
            Math.min(lat.length - 1, Math.ceil(lat.length * 0.99) - 1)
          ]?.toFixed(1)} ms, ${run.failures} failures${
            run.firstFailure ? ` (${run.firstFailure})` : ''
          }`,
        );
      }
    } finally {
      await db.close();
    }
  } catch (error) {
    result.error = String(error);
    log(`  failed: ${String(error)}`);
    if (backend)
      console.error(backend.output().split('\n').slice(-20).join('\n'));
  } finally {
    process.removeListener('SIGINT', onSigint);
    await stop();
  }
  return result;
}

async function main() {
  const started = performance.now();
  const org = generateOrg(ENTITIES, SEED);
  const files = toFiles(org.entities, PER_FILE);
  const host = await serveFiles(files, org.sloFiles);
  log(
    `${org.total} entities (${org.entities.length} in ${files.length} files, ${
      org.counts.SLO
    } SLOs from ${org.sloFiles.size} OpenSLO files) generated in ${(
      (performance.now() - started) /
      1000
    ).toFixed(1)} s`,
  );
  const settings: Setting[] = [
    ...SETTINGS.filter(s => ONLY === 'both' || s.id === ONLY),
    ...(DIAGNOSE ? [DIAGNOSTIC] : []),
  ];
  const results: SettingResult[] = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const order = round % 2 ? settings : [...settings].reverse();
      for (const setting of order) {
        results.push(
          await runSetting(
            setting,
            round,
            host.urls,
            host.port,
            org.total,
            org.components,
          ),
        );
        await sleep(2000);
      }
    }
  } finally {
    await host.stop();
  }

  const report: string[] = [];
  const out = (s = '') => {
    report.push(s);
    console.log(s);
  };
  out(
    `Run ${new Date().toISOString()}; ${machine()}; PostgreSQL (throwaway cluster, fsync off) per setting; ${
      SMOKE ? 'smoke mode (figures mean nothing)' : `${ROUNDS} round(s)`
    }; load average at the end ${loadAverage()}.`,
  );
  out();
  out(orgLine(org, PER_FILE, host.bytes));
  out();
  out('Settings:');
  out();
  for (const s of settings) out(`- **${s.label}**: ${s.describe}.`);
  out();
  out(
    '### Ingestion: from the first POST /locations until every entity is processed and stitched',
  );
  out();
  out(ingestTable(results.filter(r => r.ingest)));
  out();
  out('Progress (seconds after the first POST):');
  out();
  for (const line of progressLines(results.filter(r => r.ingest))) out(line);
  out();
  out(
    `### who-owns on random Components (${CLIENTS} concurrent closed-loop clients for ${SECONDS} s, after one client for ${SINGLE_SECONDS} s)`,
  );
  out();
  out(whoOwnsTable(results));
  out();
  for (const line of checkLines(results)) out(line);
  out();
  for (const line of summaryLines(results.filter(r => r.ingest))) out(line);
  for (const failure of results.filter(r => r.error))
    out(
      `- ${failure.setting.label}, round ${failure.round} failed: ${failure.error}`,
    );
  const text = report.join('\n');
  saveRunReport(__dirname, text, SMOKE ? '-smoke' : '');
  if (WRITE && !SMOKE) writeResultsBlock(__dirname, text);

  const failed = results.filter(
    r => r.error || !r.ingest || r.ingest.doneMs === undefined || !r.loaded,
  );
  if (SMOKE) {
    const whoOwns = results.reduce(
      (n, r) => n + (r.loaded?.latencies.length ?? 0),
      0,
    );
    log(
      `smoke: ${results.length - failed.length} of ${
        results.length
      } settings ingested ${org.total} entities, ${whoOwns} who-owns answered`,
    );
  }
  if (failed.length) process.exitCode = 1;
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});

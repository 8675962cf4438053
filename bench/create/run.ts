// Create benchmark: time from "Create" to a pushed repository and to an entity the catalog serves,
// for Paver's golden paths and for the stock Backstage actions, on the real backend.
// Run from the repository root:
//   ./paverw yarn tsx bench/create/run.ts                 all phases, print the tables
//   ./paverw yarn tsx bench/create/run.ts --write         also rewrite the tables in RESULTS.md
// Flags: --runs N (sequential creates per template, default 5), --concurrent N (simultaneous
// billing-service creates, default 50), --busy N (entities of the busy-catalog phase, default
// 20000; 0 skips the phase), --busy-runs N (Paver + stock pairs while the catalog ingests them,
// default 14, one pair every --busy-gap seconds, default 15), --steady-seconds N (pairs, same
// gap, after the ingest; default 180), --fleet N (services of the fleet phase, default 4000; 0
// skips it), --fleet-latency-ms N (default 300), --db pg|sqlite (default pg: a throwaway
// PostgreSQL cluster, as production runs; sqlite: in memory).
//
// One backend process (packages/backend, local git publishing into a temp data dir; boot.ts) serves
// every phase:
//   1. sequential (sequential.ts): each golden path (auth, billing, notification; subjects.ts) and
//      the stock template (bench/create/stock-templates/billing-stock: fetch:template +
//      paver:repo:publish + catalog:register, with the skeleton of stockTemplate.ts) created one
//      at a time, interleaved, with unique names;
//   2. concurrent (concurrent.ts): N billing-service creates submitted at once;
//   3. bulk import (loadPhase.ts): one url location with `--busy` generated Components is registered; a Paver
//      and a stock billing create are submitted together, a pair every --busy-gap seconds, while
//      the catalog ingests them, then for `--steady-seconds` after the ingest, while the default
//      100-150 s processing interval brings the refresh waves round;
//   4. fleet: `--fleet` services, each its own repository and url location read with SCM-like
//      latency (fills.ts), the same pairs during and after the ingest. More services than the
//      catalog can re-read in one interval: the state adopters report for large catalogs
//      (docs/performance.md, "Creating a service": bs#13834).
// Per create (creates.ts), from just before the POST /api/scaffolder/v2/tasks:
//   pushed   the bare repository's refs/heads/main appears (file system, polled every 25 ms)
//   publish  the publish step's "completed" event arrives on the task's event stream (the
//            scaffolder's event stream polls its database about once a second: up to ~1 s late)
//   done     the task's completion event
//   visible  GET /api/catalog/entities/by-name/component/default/<name> answers 200 (polled every
//            100 ms; in the concurrent phase one /entities/by-refs request for all pending names
//            every 100 ms instead of N requests, so the poller does not become the load)
// The report (report.ts) goes to the console, to bench/create/.runs, and with --write to RESULTS.md.
import { waitForReady } from '../../packages/e2e/src/backend/backendProcess';
import { guestToken } from '../../packages/e2e/src/scaffolder/scaffolderApi';
import { choiceArg, flag, numberArg } from '../args';
import { saveRunReport } from '../backendBench';
import { writeResultsBlock } from '../results';
import { bootBackend, waitForCatalog } from './boot';
import { concurrentPhase } from './concurrent';
import type { CreateRun } from './creates';
import { bulkFill } from './fills';
import { loadPhase, type LoadPhase, type Pacing } from './loadPhase';
import { reportRun, sec } from './report';
import { sequentialCreates, warmUp } from './sequential';
import { STOCK, goldenPaths } from './subjects';

// --smoke (run by ./paverw test): one create of each template on SQLite and a 20-Component bulk
// import with one pair; it proves the bench still runs, its figures mean nothing.
const SMOKE = flag('smoke');
const RUNS = SMOKE ? 1 : numberArg('runs', 5);
const CONCURRENT = SMOKE ? 0 : numberArg('concurrent', 50);
const BUSY = SMOKE ? 0 : numberArg('busy', 20_000);
const PACING: Pacing = {
  pairsDuringIngest: numberArg('busy-runs', 14),
  steadyS: numberArg('steady-seconds', 180),
  gapS: numberArg('busy-gap', 15),
};
const FLEET = SMOKE ? 0 : numberArg('fleet', 4000);
const FLEET_LATENCY_MS = numberArg('fleet-latency-ms', 300);
const DB = SMOKE ? 'sqlite' : choiceArg('db', ['pg', 'sqlite'] as const, 'pg');
const WRITE = flag('write');
const VISIBLE_TIMEOUT_MS = 600_000;

const log = (msg: string) => console.log(`\x1b[1m[create]\x1b[0m ${msg}`);
const runId = Date.now().toString(36).slice(-5);

async function main() {
  const booted = await bootBackend({
    db: DB,
    fleet: { n: FLEET, latencyMs: FLEET_LATENCY_MS },
    runId,
    log,
  });
  const { backend, fleet } = booted;
  process.once(
    'SIGINT',
    () => void booted.stop().then(() => process.exit(130)),
  );
  try {
    const readyMs = await waitForReady(backend, 240_000);
    log(`ready in ${sec(readyMs)} s`);
    const run: CreateRun = {
      backend,
      userToken: await guestToken(backend),
      dataDir: booted.dataDir,
      runId,
      visibleTimeoutMs: VISIBLE_TIMEOUT_MS,
      log,
    };
    const goldens = goldenPaths();
    await waitForCatalog(backend, goldens.all);
    const subjects = [...goldens.all, STOCK];
    const labels = subjects.map(s => s.label);

    // 1: warm-up, then sequential, interleaved.
    await warmUp(run, subjects);
    const sequential = await sequentialCreates(run, subjects, RUNS);
    if (SMOKE) {
      const { samples } = sequential;
      const visible = samples.filter(s => s.visibleMs !== undefined);
      // A small bulk import too: a filler the catalog refuses (its on-call rules) would leave
      // the load phases waiting out their timeout, as they did once.
      const fill = bulkFill({
        n: 20,
        runId,
        dataDir: booted.dataDir,
        backendUrl: backend.baseUrl,
      });
      const phase = await loadPhase(
        { ...run, visibleTimeoutMs: 60_000 },
        fill,
        goldens.billing,
        { pairsDuringIngest: 1, steadyS: 0, gapS: 1 },
      );
      const filled = phase.ingest.samples.at(-1)?.[1] ?? 0;
      log(
        `smoke: ${visible.length} of ${samples.length} creates visible, ${filled} of ${fill.n} filler components`,
      );
      if (visible.length !== samples.length || filled !== fill.n)
        process.exitCode = 1;
      return;
    }

    // 2: concurrent billing-service creates.
    const concurrent =
      CONCURRENT > 0
        ? await concurrentPhase(run, goldens.billing, CONCURRENT)
        : undefined;

    // 3 + 4: a loaded catalog, a bulk import and then a fleet of one repository per service.
    const loadPhases: LoadPhase[] = [];
    if (BUSY > 0) {
      const fill = bulkFill({
        n: BUSY,
        runId,
        dataDir: booted.dataDir,
        backendUrl: backend.baseUrl,
      });
      loadPhases.push(await loadPhase(run, fill, goldens.billing, PACING));
    }
    if (fleet)
      loadPhases.push(await loadPhase(run, fleet, goldens.billing, PACING));

    // Each line to the console as it is written, and to the saved report.
    const report: string[] = [];
    const out = (s = '') => {
      report.push(s);
      console.log(s);
    };
    reportRun(out, {
      runId,
      postgres: booted.postgres,
      readyMs,
      sequential: {
        ...sequential,
        runs: RUNS,
        labels,
        paverLabel: goldens.billing.label,
        stockLabel: STOCK.label,
      },
      concurrent,
      loadPhases,
      pacing: PACING,
    });
    const text = report.join('\n');
    saveRunReport(__dirname, text);
    if (WRITE) writeResultsBlock(__dirname, text, { createMissing: true });
  } catch (error) {
    console.error(error);
    console.error(backend.output().split('\n').slice(-15).join('\n'));
    process.exitCode = 1;
  } finally {
    await booted.stop();
  }
}

main();

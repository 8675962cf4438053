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
// One backend process (packages/backend, local git publishing into a temp data dir) serves every
// phase:
//   1. sequential: each golden path (auth, billing, notification) and the stock template
//      (bench/create/stock-templates/billing-stock: fetch:template + paver:repo:publish +
//      catalog:register) created one at a time, interleaved, with unique names;
//   2. concurrent: N billing-service creates submitted at once;
//   3. bulk import: one url location with `--busy` generated Components is registered; a Paver
//      and a stock billing create are submitted together, a pair every --busy-gap seconds, while
//      the catalog ingests them, then for `--steady-seconds` after the ingest, while the default
//      100-150 s processing interval brings the refresh waves round;
//   4. fleet: `--fleet` services, each its own repository and url location read with SCM-like
//      latency (fills.ts), the same pairs during and after the ingest. More services than the
//      catalog can re-read in one interval: the state adopters report for large catalogs
//      (docs/performance.md, "Creating a service": bs#13834).
// Per create, from just before the POST /api/scaffolder/v2/tasks:
//   pushed   the bare repository's refs/heads/main appears (file system, polled every 25 ms)
//   publish  the publish step's "completed" event arrives on the task's event stream (the
//            scaffolder's event stream polls its database about once a second: up to ~1 s late)
//   done     the task's completion event
//   visible  GET /api/catalog/entities/by-name/component/default/<name> answers 200 (polled every
//            100 ms; in the concurrent phase one /entities/by-refs request for all pending names
//            every 100 ms instead of N requests, so the poller does not become the load)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  TEST_PLATFORM,
  freePort,
  startPostgres,
  type ThrowawayPostgres,
} from '@paver/test-utils';
import {
  loadTemplate,
  parseAnswersYaml,
  renderToMemory,
} from '@paver/golden-path';
import {
  IN_MEMORY_SQLITE,
  localPublishingConfig,
  REPO_ROOT,
  TEST_TOKEN,
  spawnBackend,
  waitForReady,
  type BackendProcess,
} from '../../packages/e2e/src/backend/backendProcess';
import {
  api,
  guestToken,
  logOf,
  streamEvents,
  waitForEntity,
  type TaskEvent,
} from '../../packages/e2e/src/scaffolder/scaffolderApi';
import { choiceArg, flag, numberArg } from '../args';
import { median, quantile } from '../stats';
import { FLEET_PATH, bulkFill, startFleet, type Fill } from './fills';

// ---------------------------------------------------------------------------------------------
// arguments

// --smoke (run by ./paverw test): one create of each template on SQLite, no load phases; it proves
// the bench still runs, its figures mean nothing.
const SMOKE = flag('smoke');
const RUNS = SMOKE ? 1 : numberArg('runs', 5);
const CONCURRENT = SMOKE ? 0 : numberArg('concurrent', 50);
const BUSY = SMOKE ? 0 : numberArg('busy', 20_000);
const BUSY_RUNS = numberArg('busy-runs', 14);
const STEADY_S = numberArg('steady-seconds', 180);
const BUSY_GAP_S = numberArg('busy-gap', 15);
const FLEET = SMOKE ? 0 : numberArg('fleet', 4000);
const FLEET_LATENCY_MS = numberArg('fleet-latency-ms', 300);
const DB = SMOKE ? 'sqlite' : choiceArg('db', ['pg', 'sqlite'] as const, 'pg');
const WRITE = process.argv.includes('--write');
const VISIBLE_TIMEOUT_MS = 600_000;

const log = (msg: string) => console.log(`\x1b[1m[create]\x1b[0m ${msg}`);
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const runId = Date.now().toString(36).slice(-5);

// ---------------------------------------------------------------------------------------------
// templates and answers

interface Subject {
  label: string;
  templateRef: string;
  prefix: string;
  answers: (name: string) => Record<string, unknown>;
}

function goldenPath(template: string, prefix: string): Subject {
  const fixture = parseAnswersYaml(
    fs.readFileSync(
      path.join(REPO_ROOT, 'templates', template, 'fixtures/answers.yaml'),
      'utf8',
    ),
  ) as Record<string, unknown>;
  return {
    label: `${template} (Paver)`,
    templateRef: `template:default/${template}`,
    prefix,
    answers: name => ({ ...fixture, name }),
  };
}

const STOCK: Subject = {
  label: 'billing-service (stock actions)',
  templateRef: 'template:default/billing-stock',
  prefix: 'stk',
  answers: name => ({ name }),
};

/**
 * Writes the stock template with its skeleton: the billing service rendered with its fixture
 * answers under a sentinel name, every occurrence of the name put back as `${{ values.name }}`,
 * and whatever else looks like template syntax (GitHub Actions' `${{ }}`) kept verbatim in raw
 * blocks, so fetch:template produces the same 72 files the golden path does.
 */
function writeStockTemplate(dir: string): number {
  const SENTINEL = 'zzstockname';
  const fixture = parseAnswersYaml(
    fs.readFileSync(
      path.join(REPO_ROOT, 'templates/billing-service/fixtures/answers.yaml'),
      'utf8',
    ),
  ) as Record<string, unknown>;
  const files = renderToMemory(
    loadTemplate(path.join(REPO_ROOT, 'templates/billing-service')),
    {
      ...fixture,
      name: SENTINEL,
    },
    { platform: TEST_PLATFORM },
  );
  const raw = (s: string) =>
    /\$\{\{|\{%|\{#/.test(s) ? `{% raw %}${s}{% endraw %}` : s;
  const replacements: [string, string][] = [
    [SENTINEL, '${{ values.name }}'],
    [SENTINEL.toUpperCase(), '${{ values.name | upper }}'],
    ['Zzstockname', '${{ values.name | capitalize }}'],
  ];
  const templated = (text: string) => {
    let parts: string[] = [text];
    let joins: string[] = [];
    for (const [needle, expr] of replacements) {
      const nextParts: string[] = [];
      const nextJoins: string[] = [];
      parts.forEach((p, i) => {
        const pieces = p.split(needle);
        pieces.forEach((piece, j) => {
          nextParts.push(piece);
          if (j < pieces.length - 1) nextJoins.push(expr);
        });
        if (i < joins.length) nextJoins.push(joins[i]);
      });
      parts = nextParts;
      joins = nextJoins;
    }
    return parts.map((p, i) => raw(p) + (joins[i] ?? '')).join('');
  };
  const skeleton = path.join(dir, 'skeleton');
  for (const [file, content] of files) {
    const text =
      typeof content === 'string'
        ? content
        : Buffer.from(content as Uint8Array).toString('utf8');
    const target = path.join(skeleton, templated(file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, templated(text));
  }
  fs.copyFileSync(
    path.join(__dirname, 'stock-templates/billing-stock/template.yaml'),
    path.join(dir, 'template.yaml'),
  );
  return files.size;
}

// ---------------------------------------------------------------------------------------------
// one create

interface Sample {
  subject: string;
  name: string;
  status: string;
  pushedMs?: number;
  publishEventMs?: number;
  doneMs?: number;
  visibleMs?: number;
  error?: string;
  /** Busy phase: Components of the fill location not yet in the catalog at submission. */
  backlog?: number;
  /** Busy phase: seconds since the fill location was registered, at submission. */
  atMs?: number;
}

let backend: BackendProcess;
let userToken: string;
let dataDir: string;

async function submit(subject: Subject, name: string): Promise<string> {
  const { id } = await api<{ id: string }>(
    backend,
    '/api/scaffolder/v2/tasks',
    {
      method: 'POST',
      body: JSON.stringify({
        templateRef: subject.templateRef,
        values: subject.answers(name),
      }),
    },
    userToken,
  );
  return id;
}

/** Follows the event stream, noting when the publish step and the task complete. */
function follow(id: string, t0: number, sample: Sample): Promise<TaskEvent[]> {
  return streamEvents(backend, userToken, id, event => {
    if (event.body.stepId === 'publish' && event.body.status === 'completed') {
      sample.publishEventMs ??= performance.now() - t0;
    }
    if (event.type === 'completion') sample.doneMs = performance.now() - t0;
  });
}

function refPath(name: string) {
  return path.join(dataDir, 'git', `${name}.git`, 'refs', 'heads', 'main');
}

async function pollPushed(
  name: string,
  t0: number,
  sample: Sample,
  stop: () => boolean,
) {
  while (!stop()) {
    if (fs.existsSync(refPath(name))) {
      sample.pushedMs = performance.now() - t0;
      return;
    }
    await sleep(25);
  }
}

async function pollVisible(
  name: string,
  t0: number,
  sample: Sample,
  stop: () => boolean,
) {
  while (!stop() && performance.now() - t0 < VISIBLE_TIMEOUT_MS) {
    const started = performance.now();
    try {
      const res = await fetch(
        `${backend.baseUrl}/api/catalog/entities/by-name/component/default/${name}`,
        {
          headers: { authorization: `Bearer ${TEST_TOKEN}` },
        },
      );
      await res.arrayBuffer();
      if (res.status === 200) {
        sample.visibleMs = performance.now() - t0;
        return;
      }
    } catch {
      // the backend is busy; try again
    }
    await sleep(Math.max(0, 100 - (performance.now() - started)));
  }
}

let counter = 0;
function uniqueName(prefix: string) {
  return `${prefix}-${runId}-${++counter}`;
}

/** One create, measured on its own. */
async function createOne(subject: Subject): Promise<Sample> {
  const name = uniqueName(subject.prefix);
  const sample: Sample = { subject: subject.label, name, status: 'submitted' };
  const t0 = performance.now();
  let finished = false;
  let failed = false;
  let stage = 'submit';
  try {
    // A failed task never becomes visible: stop polling then.
    const visible = pollVisible(name, t0, sample, () => failed);
    const pushed = pollPushed(name, t0, sample, () => finished);
    const id = await submit(subject, name);
    stage = `event stream of task ${id}`;
    const events = await follow(id, t0, sample);
    stage = `status of task ${id}`;
    const { status } = await api<{ status: string }>(
      backend,
      `/api/scaffolder/v2/tasks/${id}`,
      {},
      userToken,
    );
    sample.status = status;
    if (status !== 'completed') {
      sample.error = lastError(events);
      // A task that failed before its push never becomes visible; one that failed after it (a
      // registration that timed out) may, later: keep polling for that one.
      if (sample.pushedMs === undefined && !fs.existsSync(refPath(name)))
        failed = true;
    }
    // Wait for the ref poller to see the push before stopping it (a failed task may never push).
    if (status === 'completed')
      while (sample.pushedMs === undefined) await sleep(25);
    finished = true;
    await pushed;
    await visible;
  } catch (error) {
    finished = true;
    failed = true;
    sample.status = 'error';
    const cause =
      error instanceof Error && error.cause ? ` (${String(error.cause)})` : '';
    sample.error = `${stage} after ${sec(performance.now() - t0)} s: ${String(
      error,
    )}${cause}`;
  }
  return sample;
}

function lastError(events: TaskEvent[]): string {
  const completion = events.find(e => e.type === 'completion')?.body as
    | { error?: { message?: string } }
    | undefined;
  if (completion?.error?.message) return completion.error.message.slice(0, 300);
  const text = logOf(events).split('\n').filter(Boolean);
  return (
    text.reverse().find(l => /error|fail/i.test(l)) ??
    text[0] ??
    ''
  ).slice(0, 300);
}

/** A Paver and a stock create submitted at the same moment; collected into `into` when both end. */
async function startPair(
  phase: string,
  paverSubject: Subject,
  atMs: number,
  backlog: number | undefined,
  into: Pair[],
) {
  const [paver, stock] = await Promise.all([
    createOne(paverSubject),
    createOne(STOCK),
  ]);
  for (const s of [paver, stock]) {
    s.backlog = backlog;
    s.atMs = atMs;
    log(
      `${phase} +${sec(atMs)} s ${s.subject}: backlog ${backlog ?? '—'}, ${
        s.status
      }, pushed ${sec(s.pushedMs ?? NaN)} s, done ${sec(
        s.doneMs ?? NaN,
      )} s, visible ${sec(s.visibleMs ?? NaN)} s${
        s.error ? ` ${s.error}` : ''
      }`,
    );
  }
  into.push({ paver, stock });
}

// ---------------------------------------------------------------------------------------------
// concurrent creates

interface Burst {
  samples: Sample[];
  submitMs: number;
  lastDoneMs: number;
  lastVisibleMs: number;
}

async function burst(subject: Subject, n: number): Promise<Burst> {
  const samples: Sample[] = Array.from({ length: n }, () => {
    const name = uniqueName(subject.prefix);
    return { subject: subject.label, name, status: 'submitted' };
  });
  const t0 = performance.now();
  let stopped = false;
  // One poller for all refs and one by-refs request for all pending entities, every 100 ms.
  const refs = (async () => {
    while (!stopped) {
      for (const s of samples)
        if (s.pushedMs === undefined && fs.existsSync(refPath(s.name)))
          s.pushedMs = performance.now() - t0;
      await sleep(25);
    }
  })();
  const visible = (async () => {
    while (!stopped && performance.now() - t0 < VISIBLE_TIMEOUT_MS) {
      const started = performance.now();
      const pending = samples.filter(s => s.visibleMs === undefined);
      if (!pending.length) return;
      try {
        const res = await fetch(
          `${backend.baseUrl}/api/catalog/entities/by-refs`,
          {
            method: 'POST',
            headers: {
              authorization: `Bearer ${TEST_TOKEN}`,
              'content-type': 'application/json',
            },
            body: JSON.stringify({
              entityRefs: pending.map(s => `component:default/${s.name}`),
              fields: ['metadata.name'],
            }),
          },
        );
        const at = performance.now() - t0;
        if (res.ok) {
          const { items } = (await res.json()) as {
            items: ({ metadata: { name: string } } | null)[];
          };
          items.forEach((item, i) => {
            if (item) pending[i].visibleMs = at;
          });
        } else await res.arrayBuffer();
      } catch {
        // busy
      }
      await sleep(Math.max(0, 100 - (performance.now() - started)));
    }
  })();
  const ids = await Promise.all(
    samples.map(s =>
      submit(subject, s.name).catch(error => {
        s.status = 'error';
        s.error = String(error);
        return undefined;
      }),
    ),
  );
  const submitMs = performance.now() - t0;
  await Promise.all(
    ids.map(async (id, i) => {
      if (!id) return;
      const s = samples[i];
      try {
        const events = await follow(id, t0, s);
        s.status = (
          await api<{ status: string }>(
            backend,
            `/api/scaffolder/v2/tasks/${id}`,
            {},
            userToken,
          )
        ).status;
        if (s.status !== 'completed') s.error = lastError(events);
      } catch (error) {
        s.status = 'error';
        s.error = String(error);
      }
    }),
  );
  await visible;
  stopped = true;
  await refs;
  const max = (xs: (number | undefined)[]) =>
    Math.max(...xs.map(x => x ?? NaN).filter(x => !Number.isNaN(x)));
  return {
    samples,
    submitMs,
    lastDoneMs: max(samples.map(s => s.doneMs)),
    lastVisibleMs: max(samples.map(s => s.visibleMs)),
  };
}

// ---------------------------------------------------------------------------------------------
// a loaded catalog

async function fillCount(fill: Fill): Promise<number> {
  const res = await api<{ totalItems: number }>(
    backend,
    `/api/catalog/entities/by-query?filter=kind=component,metadata.tags=${fill.tag}&limit=1&fields=metadata.name`,
  );
  return res.totalItems;
}

/** POSTs each location (16 at a time), as users registering their repositories would. */
async function registerAll(targets: readonly string[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const target = targets[next++];
      await api(backend, '/api/catalog/locations', {
        method: 'POST',
        body: JSON.stringify({ type: 'url', target }),
      });
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(16, targets.length) }, worker),
  );
}

interface LoadPhase {
  fill: Fill;
  /** Pairs submitted while the catalog ingests the fill, then after it has (the refresh waves). */
  during: Pair[];
  after: Pair[];
  ingest: { ms: number; samples: [number, number][] };
  load: string[];
  reads?: string;
}

/**
 * Registers the fill's location, then submits a Paver and a stock create together every
 * --busy-gap seconds: while the catalog ingests the fill (up to --busy-runs pairs), then for
 * --steady-seconds after it has.
 */
async function loadPhase(
  fill: Fill,
  paverSubject: Subject,
): Promise<LoadPhase> {
  log(`${fill.title}: registering ${fill.locations.length} location(s)`);
  const loadAvg = [load()];
  const t0 = performance.now();
  await registerAll(fill.locations);
  log(`registered in ${sec(performance.now() - t0)} s`);
  const samples: [number, number][] = [];
  const watcher = (async () => {
    while (performance.now() - t0 < VISIBLE_TIMEOUT_MS) {
      const n = await fillCount(fill).catch(
        () => samples[samples.length - 1]?.[1] ?? 0,
      );
      samples.push([performance.now() - t0, n]);
      if (n >= fill.n) return;
      await sleep(1000);
    }
  })();
  const ingested = () => (samples[samples.length - 1]?.[1] ?? 0) >= fill.n;
  const during: Pair[] = [];
  const pending: Promise<void>[] = [];
  for (let r = 0; r < BUSY_RUNS && !ingested(); r++) {
    const backlog = fill.n - (samples[samples.length - 1]?.[1] ?? 0);
    pending.push(
      startPair(
        'ingest',
        paverSubject,
        performance.now() - t0,
        backlog,
        during,
      ),
    );
    await sleep(BUSY_GAP_S * 1000);
  }
  await watcher;
  const ingest = { ms: samples[samples.length - 1][0], samples };
  log(`all ${fill.n} ${fill.tag} components visible after ${sec(ingest.ms)} s`);
  loadAvg.push(load());
  const after: Pair[] = [];
  const afterStart = performance.now();
  while (performance.now() - afterStart < STEADY_S * 1000) {
    pending.push(
      startPair(
        'after ingest',
        paverSubject,
        performance.now() - t0,
        undefined,
        after,
      ),
    );
    await sleep(BUSY_GAP_S * 1000);
  }
  await Promise.all(pending);
  loadAvg.push(load());
  const bySubmission = (a: Pair, b: Pair) =>
    (a.paver.atMs ?? 0) - (b.paver.atMs ?? 0);
  return {
    fill,
    during: during.sort(bySubmission),
    after: after.sort(bySubmission),
    ingest,
    load: loadAvg,
    reads: fill.describeReads?.(performance.now() - t0),
  };
}

function reportLoadPhase(
  phase: LoadPhase,
  out: (line?: string) => void,
  labels: string[],
) {
  const { fill, ingest } = phase;
  out(`### ${fill.title}`);
  out();
  out(
    `Load average at registration / ingested / end: ${phase.load.join(
      ' → ',
    )}. All ${fill.n} visible after ${sec(ingest.ms)} s (${(
      (fill.n / ingest.ms) *
      1000
    ).toFixed(0)} entities/s).${phase.reads ? ` ${phase.reads}` : ''}`,
  );
  const marks = ingest.samples.filter(
    (_, i, a) =>
      i % Math.max(1, Math.ceil(a.length / 12)) === 0 || i === a.length - 1,
  );
  out(
    `Ingest progress (s: visible): ${marks
      .map(([t, n]) => `${sec(t)}: ${n}`)
      .join(', ')}.`,
  );
  out();
  out(
    `While the catalog ingests them (a Paver and a stock create submitted together, a pair every ${BUSY_GAP_S} s):`,
  );
  out();
  out(ratioSummary(phase.during));
  out();
  out(pairsTable(phase.during));
  out();
  out(
    `After the ingest (each entity refreshed again every 100–150 s by default): a pair every ${BUSY_GAP_S} s for ${STEADY_S} s.`,
  );
  out();
  out(ratioSummary(phase.after));
  out();
  out(
    sequentialTable(
      phase.after.flatMap(p => [p.paver, p.stock]),
      labels,
    ),
  );
  out();
  out(pairsTable(phase.after));
  out();
}

// ---------------------------------------------------------------------------------------------
// statistics and tables

const sec = (ms: number) =>
  Number.isFinite(ms) ? (ms / 1000).toFixed(2) : '—';
const defined = (xs: (number | undefined)[]) =>
  xs.filter((x): x is number => x !== undefined);
const load = () =>
  os
    .loadavg()
    .map(l => l.toFixed(2))
    .join(' / ');

function sequentialTable(samples: Sample[], labels: string[]): string {
  const rows = labels.map(label => {
    const ss = samples.filter(s => s.subject === label);
    const ok = ss.filter(s => s.status === 'completed').length;
    const col = (pick: (s: Sample) => number | undefined) => {
      const xs = defined(ss.map(pick));
      return `${sec(median(xs))} / ${sec(Math.max(...xs))}`;
    };
    const visible = defined(ss.map(s => s.visibleMs));
    return `| ${label} | ${ok}/${ss.length} | ${col(s => s.pushedMs)} | ${col(
      s => s.publishEventMs,
    )} | ${col(s => s.doneMs)} | ${col(s => s.visibleMs)} | ${visible.length}/${
      ss.length
    } |`;
  });
  return [
    '| template | tasks completed | pushed (s) median / max | publish event (s) median / max | task done (s) median / max | visible in catalog (s) median / max | visible |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

/** Paver and stock creates submitted at the same moment, side by side, with stock / Paver. */
interface Pair {
  paver: Sample;
  stock: Sample;
}

const ratio = (pair: Pair) =>
  (pair.stock.visibleMs ?? NaN) / (pair.paver.visibleMs ?? NaN);
const status = (s: Sample) =>
  `${s.status}${
    s.error ? ` (${s.error.replace(/\|/g, '/').slice(0, 160)})` : ''
  }`;

function pairsTable(pairs: Pair[]): string {
  return [
    '| # | submitted (s after fill registered) | backlog at submit | Paver | Paver: pushed / done / visible (s) | stock | stock: pushed / done / visible (s) | stock / Paver, visible |',
    '|---:|---:|---:|---|---:|---|---:|---:|',
    ...pairs.map(({ paver, stock }, i) => {
      const times = (s: Sample) =>
        [s.pushedMs, s.doneMs, s.visibleMs]
          .map(ms => sec(ms ?? NaN))
          .join(' / ');
      return `| ${i + 1} | ${sec(paver.atMs ?? NaN)} | ${
        paver.backlog ?? '—'
      } | ${status(paver)} | ${times(paver)} | ${status(stock)} | ${times(
        stock,
      )} | ${ratio({ paver, stock }).toFixed(1)}× |`;
    }),
  ].join('\n');
}

function ratioSummary(pairs: Pair[]): string {
  const ratios = pairs.map(ratio).filter(Number.isFinite);
  const tenfold = ratios.filter(r => r >= 10).length;
  return `stock / Paver, visible, per pair: median ${median(ratios).toFixed(
    1,
  )}×, min ${Math.min(...ratios).toFixed(1)}×, max ${Math.max(
    ...ratios,
  ).toFixed(1)}×; ≥ 10× in ${tenfold} of ${ratios.length} pairs.`;
}

// ---------------------------------------------------------------------------------------------
// main

async function main() {
  const report: string[] = [];
  const out = (s = '') => {
    report.push(s);
    console.log(s);
  };
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'paver-bench-create-'));
  dataDir = path.join(work, 'data');
  const stockDir = path.join(work, 'stock-template');
  const stockFiles = writeStockTemplate(stockDir);
  log(`stock skeleton: ${stockFiles} files in ${stockDir}`);

  const port = await freePort();
  const pg = DB === 'pg' ? await startPostgres() : undefined;
  const fleet =
    FLEET > 0
      ? await startFleet({ n: FLEET, latencyMs: FLEET_LATENCY_MS, runId })
      : undefined;
  log(
    `booting the backend on port ${port}, ${
      pg ? 'PostgreSQL' : 'SQLite in memory'
    } (load ${load()})`,
  );
  backend = await spawnBackend({
    port,
    configFiles: ['app-config.yaml'],
    override: [
      pg ? postgresConfig(pg) : IN_MEMORY_SQLITE,
      localPublishingConfig({
        dataDir,
        ports: [port],
        extraTemplates: [path.join(stockDir, 'template.yaml')],
        extraReadingAllow: fleet
          ? [{ host: `localhost:${fleet.port}`, paths: [FLEET_PATH] }]
          : [],
      }),
    ],
  });
  const stop = async () => {
    await backend.stop();
    await fleet?.stop();
    await pg?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    const readyMs = await waitForReady(backend, 240_000);
    log(`ready in ${sec(readyMs)} s`);
    userToken = await guestToken(backend);
    const goldens = [
      goldenPath('auth-service', 'auth'),
      goldenPath('billing-service', 'bill'),
      goldenPath('notification-service', 'notif'),
    ];
    for (const ref of [
      ...goldens.map(g => g.templateRef.replace('template:', 'template/')),
      'template/default/billing-stock',
      'group/default/payments',
      'group/default/identity',
      'group/default/messaging',
      'system/default/billing',
    ]) {
      await waitForEntity(backend, ref);
    }
    const subjects = [...goldens, STOCK];
    const labels = subjects.map(s => s.label);

    // Warm-up: one unmeasured create of each, so JIT and first-use costs stay out of the figures.
    log('warm-up: one create of each template');
    for (const subject of subjects) {
      const s = await createOne(subject);
      if (s.status !== 'completed')
        throw new Error(`warm-up ${subject.label} ${s.status}: ${s.error}`);
      log(
        `  warm-up ${subject.label}: ${s.status} pushed ${sec(
          s.pushedMs ?? NaN,
        )} s, visible ${sec(s.visibleMs ?? NaN)} s${
          s.error ? ` ${s.error}` : ''
        }`,
      );
    }

    // 1 + 2: sequential, interleaved.
    const seqLoad = [load()];
    const sequential: Sample[] = [];
    for (let r = 0; r < RUNS; r++) {
      for (const subject of subjects) {
        // The catalog's loops poll once a second and a create starts right after the previous
        // one's completion event (also once a second): without a random offset every create
        // would start at the same phase of those loops and measure that phase, not the flow.
        await sleep(Math.random() * 1000);
        const s = await createOne(subject);
        sequential.push(s);
        log(
          `run ${r + 1}/${RUNS} ${subject.label}: ${s.status} pushed ${sec(
            s.pushedMs ?? NaN,
          )} s, done ${sec(s.doneMs ?? NaN)} s, visible ${sec(
            s.visibleMs ?? NaN,
          )} s${s.error ? ` ${s.error}` : ''}`,
        );
      }
    }
    seqLoad.push(load());
    if (SMOKE) {
      const visible = sequential.filter(s => s.visibleMs !== undefined);
      log(`smoke: ${visible.length} of ${sequential.length} creates visible`);
      if (visible.length !== sequential.length) process.exitCode = 1;
      return;
    }

    // 3: concurrent billing-service creates.
    let burstResult: Burst | undefined;
    const burstLoad = [load()];
    if (CONCURRENT > 0) {
      log(`concurrent: ${CONCURRENT} billing-service creates at once`);
      burstResult = await burst(goldens[1], CONCURRENT);
      burstLoad.push(load());
      const failed = burstResult.samples.filter(s => s.status !== 'completed');
      log(
        `  done: ${burstResult.samples.length - failed.length}/${
          burstResult.samples.length
        } completed, last done ${sec(
          burstResult.lastDoneMs,
        )} s, last visible ${sec(burstResult.lastVisibleMs)} s`,
      );
      for (const f of failed)
        log(`  failed ${f.name}: ${f.status} ${f.error ?? ''}`);
    }

    // 3 + 4: a loaded catalog, a bulk import and then a fleet of one repository per service.
    const phases: LoadPhase[] = [];
    if (BUSY > 0) {
      const fill = bulkFill({
        n: BUSY,
        runId,
        dataDir,
        backendUrl: backend.baseUrl,
      });
      phases.push(await loadPhase(fill, goldens[1]));
    }
    if (fleet) phases.push(await loadPhase(fleet, goldens[1]));

    // ---- report
    out(
      `Run ${new Date().toISOString()} (${runId}); ${os.cpus().length} × ${
        os.cpus()[0]?.model ?? 'unknown CPU'
      }, Node ${process.version}; ${
        pg ? 'PostgreSQL 15 (throwaway cluster)' : 'SQLite in memory'
      }; backend ready in ${sec(readyMs)} s.`,
    );
    out();
    out(
      `### Sequential creates (${RUNS} per template, interleaved, after one warm-up each)`,
    );
    out();
    out(`Load average (1/5/15 min) before / after: ${seqLoad.join(' → ')}.`);
    out();
    out(sequentialTable(sequential, labels));
    out();
    const visibleOf = (label: string) =>
      median(
        defined(
          sequential.filter(s => s.subject === label).map(s => s.visibleMs),
        ),
      );
    const paverBilling = visibleOf(goldens[1].label);
    const stockBilling = visibleOf(STOCK.label);
    out(
      `Billing, visible: Paver ${sec(paverBilling)} s, stock ${sec(
        stockBilling,
      )} s (median): stock / Paver = ${(stockBilling / paverBilling).toFixed(
        2,
      )}×.`,
    );
    out();
    if (burstResult) {
      const b = burstResult;
      const ok = b.samples.filter(s => s.status === 'completed').length;
      const vis = defined(b.samples.map(s => s.visibleMs));
      const pushed = defined(b.samples.map(s => s.pushedMs));
      const done = defined(b.samples.map(s => s.doneMs));
      out(
        `### ${CONCURRENT} concurrent billing-service creates (submitted at once)`,
      );
      out();
      out(
        `Load average before / after: ${burstLoad.join(
          ' → ',
        )}. All ${CONCURRENT} POSTs answered after ${sec(b.submitMs)} s.`,
      );
      out();
      out(
        '| completed | visible | throughput, tasks done (tasks/min) | throughput, visible (entities/min) | pushed p50 / p95 / max (s) | task done p50 / p95 / max (s) | visible p50 / p95 / max (s) |',
      );
      out('|---:|---:|---:|---:|---:|---:|---:|');
      out(
        `| ${ok}/${CONCURRENT} | ${vis.length}/${CONCURRENT} | ${(
          (ok / b.lastDoneMs) *
          60_000
        ).toFixed(1)} | ${((vis.length / b.lastVisibleMs) * 60_000).toFixed(
          1,
        )} | ${sec(median(pushed))} / ${sec(quantile(pushed, 0.95))} / ${sec(
          Math.max(...pushed),
        )} | ${sec(median(done))} / ${sec(quantile(done, 0.95))} / ${sec(
          Math.max(...done),
        )} | ${sec(median(vis))} / ${sec(quantile(vis, 0.95))} / ${sec(
          Math.max(...vis),
        )} |`,
      );
      out();
      const failures = b.samples.filter(s => s.status !== 'completed');
      out(
        failures.length
          ? `Failures:\n${failures
              .map(f => `- ${f.name}: ${f.status} ${f.error ?? ''}`)
              .join('\n')}`
          : 'Failures: none.',
      );
      out();
    }
    for (const phase of phases)
      reportLoadPhase(phase, out, [goldens[1].label, STOCK.label]);
    const text = report.join('\n');
    fs.mkdirSync(path.join(__dirname, '.runs'), { recursive: true });
    fs.writeFileSync(
      path.join(
        __dirname,
        '.runs',
        `${new Date().toISOString().replace(/[:.]/g, '-')}.md`,
      ),
      text,
    );
    if (WRITE) writeResults(text);
  } catch (error) {
    console.error(error);
    console.error(backend.output().split('\n').slice(-15).join('\n'));
    process.exitCode = 1;
  } finally {
    await stop();
  }
}

function postgresConfig(pg: ThrowawayPostgres) {
  const { host, port, user, password } = pg;
  return {
    backend: {
      database: { client: 'pg', connection: { host, port, user, password } },
    },
  };
}

function writeResults(text: string) {
  const file = path.join(__dirname, 'RESULTS.md');
  const begin = '<!-- results:begin -->';
  const end = '<!-- results:end -->';
  const current = fs.existsSync(file)
    ? fs.readFileSync(file, 'utf8')
    : `${begin}\n${end}\n`;
  const i = current.indexOf(begin);
  const j = current.indexOf(end);
  if (i < 0 || j < 0)
    throw new Error(`RESULTS.md lacks the ${begin} / ${end} markers`);
  fs.writeFileSync(
    file,
    `${current.slice(0, i + begin.length)}\n${text}\n${current.slice(j)}`,
  );
}

main();

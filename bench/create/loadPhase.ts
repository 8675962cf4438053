// A loaded catalog: a fill (fills.ts) is registered, and a Paver and a stock create are raced in
// pairs while the catalog ingests it, then while its refresh waves come round after the ingest.
import { performance } from 'node:perf_hooks';
import { api } from '../../packages/e2e/src/scaffolder/scaffolderApi';
import { loadAverage, sleep } from '../backendBench';
import { startPair, type CreateRun, type Pair } from './creates';
import type { Fill } from './fills';
import { sec } from './report';
import type { Subject } from './subjects';

/** How the pairs are paced: --busy-runs, --busy-gap and --steady-seconds. */
export interface Pacing {
  /** At most this many pairs while the catalog ingests the fill. */
  pairsDuringIngest: number;
  /** Seconds of pairs after the ingest. */
  steadyS: number;
  /** Seconds between one pair's submission and the next. */
  gapS: number;
}

export interface LoadPhase {
  fill: Fill;
  /** Pairs submitted while the catalog ingests the fill, then after it has (the refresh waves). */
  during: Pair[];
  after: Pair[];
  /** When the last Component became visible, and [ms since registration, visible] each second. */
  ingest: { ms: number; samples: [number, number][] };
  /** Load averages at registration, once ingested, and at the end. */
  load: string[];
  reads?: string;
}

/**
 * Registers the fill's location, then submits a Paver and a stock create together every
 * --busy-gap seconds: while the catalog ingests the fill (up to --busy-runs pairs), then for
 * --steady-seconds after it has.
 */
export async function loadPhase(
  run: CreateRun,
  fill: Fill,
  paverSubject: Subject,
  pacing: Pacing,
): Promise<LoadPhase> {
  run.log(`${fill.title}: registering ${fill.locations.length} location(s)`);
  const loadAvg = [loadAverage()];
  const t0 = performance.now();
  await registerAll(run, fill.locations);
  run.log(`registered in ${sec(performance.now() - t0)} s`);
  const samples: [number, number][] = [];
  const watcher = watchIngest(run, fill, t0, samples);
  const visibleNow = () => samples[samples.length - 1]?.[1] ?? 0;
  const pairs = pairSubmitter(run, paverSubject, t0);
  const during: Pair[] = [];
  for (let r = 0; r < pacing.pairsDuringIngest && visibleNow() < fill.n; r++) {
    pairs.submit('ingest', fill.n - visibleNow(), during);
    await sleep(pacing.gapS * 1000);
  }
  await watcher;
  const ingest = { ms: samples[samples.length - 1][0], samples };
  run.log(
    `all ${fill.n} ${fill.tag} components visible after ${sec(ingest.ms)} s`,
  );
  loadAvg.push(loadAverage());
  const after: Pair[] = [];
  const afterStart = performance.now();
  while (performance.now() - afterStart < pacing.steadyS * 1000) {
    pairs.submit('after ingest', undefined, after);
    await sleep(pacing.gapS * 1000);
  }
  await pairs.allEnded();
  loadAvg.push(loadAverage());
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

/**
 * Starts pairs without waiting for them (a slow pair must not delay the next submission), and
 * waits for all of them at the end.
 */
function pairSubmitter(run: CreateRun, paverSubject: Subject, t0: number) {
  const pending: Promise<void>[] = [];
  return {
    submit(phase: string, backlog: number | undefined, into: Pair[]) {
      pending.push(
        startPair(
          run,
          phase,
          paverSubject,
          performance.now() - t0,
          backlog,
          into,
        ),
      );
    },
    allEnded: () => Promise.all(pending),
  };
}

/** Counts the fill's visible Components once a second into `samples` until all are (or time out). */
async function watchIngest(
  run: CreateRun,
  fill: Fill,
  t0: number,
  samples: [number, number][],
) {
  while (performance.now() - t0 < run.visibleTimeoutMs) {
    const n = await fillCount(run, fill).catch(
      () => samples[samples.length - 1]?.[1] ?? 0,
    );
    samples.push([performance.now() - t0, n]);
    if (n >= fill.n) return;
    await sleep(1000);
  }
}

/** The fill's Components the catalog serves, by their tag. */
async function fillCount(run: CreateRun, fill: Fill): Promise<number> {
  const res = await api<{ totalItems: number }>(
    run.backend,
    `/api/catalog/entities/by-query?filter=kind=component,metadata.tags=${fill.tag}&limit=1&fields=metadata.name`,
  );
  return res.totalItems;
}

/** POSTs each location (16 at a time), as users registering their repositories would. */
async function registerAll(
  run: CreateRun,
  targets: readonly string[],
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const target = targets[next++];
      await api(run.backend, '/api/catalog/locations', {
        method: 'POST',
        body: JSON.stringify({ type: 'url', target }),
      });
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(16, targets.length) }, worker),
  );
}

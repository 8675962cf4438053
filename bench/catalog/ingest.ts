// Ingestion: register the location files as users (or the scaffolder) register repositories, then
// watch the catalog's tables until every entity is processed and stitched.
import { performance } from 'node:perf_hooks';
import {
  TEST_TOKEN,
  type BackendProcess,
} from '../../packages/e2e/src/backend/backendProcess';
import { sleep } from '../backendBench';
import type { CatalogCounts, CatalogDb } from './catalogDb';

/** POSTs each url location, `concurrency` at a time. */
export async function registerLocations(
  backend: BackendProcess,
  urls: readonly string[],
  concurrency = 16,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < urls.length) {
      const target = urls[next++];
      const res = await fetch(`${backend.baseUrl}/api/catalog/locations`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${TEST_TOKEN}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ type: 'url', target }),
      });
      if (!res.ok)
        throw new Error(
          `POST /locations ${target}: ${res.status} ${await res.text()}`,
        );
      await res.arrayBuffer();
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(concurrency, urls.length) }, worker),
  );
}

/** The catalog is quiet: everything it knows processed and stitched, no entity with errors. */
export async function waitForQuiet(
  db: CatalogDb,
  timeoutMs: number,
): Promise<CatalogCounts> {
  const started = performance.now();
  let last: CatalogCounts | undefined;
  while (performance.now() - started < timeoutMs) {
    last = await db.counts();
    if (
      last.known > 0 &&
      last.unprocessed === 0 &&
      last.stitchQueue === 0 &&
      last.stitched >= last.known
    )
      return last;
    await sleep(500);
  }
  throw new Error(
    `catalog not quiet after ${timeoutMs} ms: ${JSON.stringify(last)}`,
  );
}

export interface IngestSample {
  atMs: number;
  counts: CatalogCounts;
}

export interface Ingest {
  /** Entities the files hold, and the Location entities their registration adds. */
  entities: number;
  locations: number;
  /** Registration of every location took this long (from the first POST). */
  registerMs: number;
  /** From the first POST until every entity was processed and stitched; undefined on timeout. */
  doneMs?: number;
  /** When the last of the entities was first served (stitched), before the stitch queue drained. */
  allStitchedOnceMs?: number;
  timedOutMs?: number;
  samples: IngestSample[];
  final: CatalogCounts;
  errors: string[];
}

/**
 * Registers `urls` and polls the catalog's tables (every second; every 250 ms once every entity
 * has been stitched once) until all `expected` entities plus one Location per url are processed
 * and stitched and the stitch queue is empty, or `timeoutMs` passes.
 */
export async function ingest(options: {
  backend: BackendProcess;
  db: CatalogDb;
  urls: readonly string[];
  expected: number;
  timeoutMs: number;
  log: (msg: string) => void;
}): Promise<Ingest> {
  const { backend, db, urls, expected, timeoutMs, log } = options;
  const base = await db.counts();
  const target = base.stitched + expected + urls.length;
  const samples: IngestSample[] = [];
  const t0 = performance.now();
  let registerMs = NaN;
  const registering = registerLocations(backend, urls).then(() => {
    registerMs = performance.now() - t0;
  });
  let registerError: unknown;
  registering.catch(error => (registerError = error));
  let doneMs: number | undefined;
  let allStitchedOnceMs: number | undefined;
  let lastLog = 0;
  let final = base;
  while (performance.now() - t0 < timeoutMs) {
    if (registerError) throw registerError;
    const counts = await db.counts();
    const atMs = performance.now() - t0;
    samples.push({ atMs, counts });
    final = counts;
    if (allStitchedOnceMs === undefined && counts.stitched >= target)
      allStitchedOnceMs = atMs;
    if (
      Number.isFinite(registerMs) &&
      counts.stitched >= target &&
      counts.unprocessed === 0 &&
      counts.stitchQueue === 0
    ) {
      doneMs = atMs;
      break;
    }
    if (atMs - lastLog >= 15_000) {
      lastLog = atMs;
      log(
        `  +${(atMs / 1000).toFixed(0)} s: known ${
          counts.known - base.known
        }, unprocessed ${counts.unprocessed}, stitched ${
          counts.stitched - base.stitched
        } of ${expected + urls.length}, stitch queue ${
          counts.stitchQueue
        }, errored ${counts.errored}`,
      );
    }
    await sleep(allStitchedOnceMs === undefined ? 1000 : 250);
  }
  await registering.catch(() => undefined);
  const errors = final.errored > 0 ? await db.sampleErrors() : [];
  return {
    entities: expected,
    locations: urls.length,
    registerMs,
    doneMs,
    allStitchedOnceMs,
    timedOutMs: doneMs === undefined ? performance.now() - t0 : undefined,
    samples: samples.map(s => ({
      atMs: s.atMs,
      counts: {
        ...s.counts,
        known: s.counts.known - base.known,
        stitched: s.counts.stitched - base.stitched,
      },
    })),
    final: {
      ...final,
      known: final.known - base.known,
      stitched: final.stitched - base.stitched,
    },
    errors,
  };
}

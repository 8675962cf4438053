// The concurrent phase: N creates of one template submitted at once. One poller watches every
// ref and one /entities/by-refs request asks for every pending name, each every 100 ms at most, so
// that N per-create pollers do not become the load being measured.
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { TEST_TOKEN } from '../../packages/e2e/src/backend/backendProcess';
import { loadAverage, sleep } from '../backendBench';
import {
  follow,
  lastError,
  refPath,
  submit,
  taskStatus,
  uniqueName,
  type CreateRun,
  type Sample,
} from './creates';
import { sec } from './report';
import type { Subject } from './subjects';

export interface Burst {
  samples: Sample[];
  submitMs: number;
  lastDoneMs: number;
  lastVisibleMs: number;
}

/** The burst with the load average before and after it, its failures logged. */
export async function concurrentPhase(
  run: CreateRun,
  subject: Subject,
  n: number,
): Promise<{ burst: Burst; load: string[] }> {
  const load = [loadAverage()];
  run.log(`concurrent: ${n} billing-service creates at once`);
  const result = await burst(run, subject, n);
  load.push(loadAverage());
  const failed = result.samples.filter(s => s.status !== 'completed');
  run.log(
    `  done: ${result.samples.length - failed.length}/${
      result.samples.length
    } completed, last done ${sec(result.lastDoneMs)} s, last visible ${sec(
      result.lastVisibleMs,
    )} s`,
  );
  for (const f of failed)
    run.log(`  failed ${f.name}: ${f.status} ${f.error ?? ''}`);
  return { burst: result, load };
}

/** `n` creates of `subject` submitted at once, each followed to its end and into the catalog. */
export async function burst(
  run: CreateRun,
  subject: Subject,
  n: number,
): Promise<Burst> {
  const samples: Sample[] = Array.from({ length: n }, () => {
    const name = uniqueName(run, subject.prefix);
    return { subject: subject.label, name, status: 'submitted' };
  });
  const t0 = performance.now();
  let stopped = false;
  const refs = pollAllPushed(run, samples, t0, () => stopped);
  const visible = pollAllVisible(run, samples, t0, () => stopped);
  const ids = await Promise.all(
    samples.map(s =>
      submit(run, subject, s.name).catch(error => {
        s.status = 'error';
        s.error = String(error);
        return undefined;
      }),
    ),
  );
  const submitMs = performance.now() - t0;
  await Promise.all(
    ids.map((id, i) => (id ? followToEnd(run, id, t0, samples[i]) : null)),
  );
  await visible;
  stopped = true;
  await refs;
  return {
    samples,
    submitMs,
    lastDoneMs: latest(samples.map(s => s.doneMs)),
    lastVisibleMs: latest(samples.map(s => s.visibleMs)),
  };
}

/** The task's events until it ends, then its final status (and what went wrong, if anything). */
async function followToEnd(
  run: CreateRun,
  id: string,
  t0: number,
  s: Sample,
): Promise<void> {
  try {
    const events = await follow(run, id, t0, s);
    s.status = await taskStatus(run, id);
    if (s.status !== 'completed') s.error = lastError(events);
  } catch (error) {
    s.status = 'error';
    s.error = String(error);
  }
}

/** Every sample's push, from one loop over the refs every 25 ms. */
async function pollAllPushed(
  run: CreateRun,
  samples: Sample[],
  t0: number,
  stop: () => boolean,
) {
  while (!stop()) {
    for (const s of samples)
      if (s.pushedMs === undefined && fs.existsSync(refPath(run, s.name)))
        s.pushedMs = performance.now() - t0;
    await sleep(25);
  }
}

/** Every sample's entity, from one by-refs request for all pending names every 100 ms. */
async function pollAllVisible(
  run: CreateRun,
  samples: Sample[],
  t0: number,
  stop: () => boolean,
) {
  while (!stop() && performance.now() - t0 < run.visibleTimeoutMs) {
    const started = performance.now();
    const pending = samples.filter(s => s.visibleMs === undefined);
    if (!pending.length) return;
    try {
      const res = await requestByRefs(run, pending);
      // The answer's moment, before its body is read, is when those entities were served.
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
}

/** Asks the catalog for the samples' Components, by ref, in one request (names only). */
function requestByRefs(run: CreateRun, pending: Sample[]): Promise<Response> {
  return fetch(`${run.backend.baseUrl}/api/catalog/entities/by-refs`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${TEST_TOKEN}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      entityRefs: pending.map(s => `component:default/${s.name}`),
      fields: ['metadata.name'],
    }),
  });
}

/** The last of the moments that happened (NaN-free max; -Infinity when none did). */
function latest(xs: (number | undefined)[]): number {
  return Math.max(...xs.map(x => x ?? NaN).filter(x => !Number.isNaN(x)));
}

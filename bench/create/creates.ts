// One create, measured from just before its POST /api/scaffolder/v2/tasks: when the push lands in
// the bare repository, when the task's events say it published and finished, and when the catalog
// serves the new Component. And the pair, a Paver and a stock create submitted at the same moment,
// that the load phases race.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  TEST_TOKEN,
  type BackendProcess,
} from '../../packages/e2e/src/backend/backendProcess';
import {
  api,
  logOf,
  streamEvents,
  type TaskEvent,
} from '../../packages/e2e/src/scaffolder/scaffolderApi';
import { sleep } from '../backendBench';
import { sec } from './report';
import { STOCK, type Subject } from './subjects';

/** What every create of a run shares. */
export interface CreateRun {
  backend: BackendProcess;
  /** The guest user's: the scaffolder records each task as theirs. */
  userToken: string;
  /** The backend's local publishing dir: a create pushes to git/<name>.git under it. */
  dataDir: string;
  /** In every created name, so runs against one catalog never collide. */
  runId: string;
  /** A create not visible by then is left as not visible. */
  visibleTimeoutMs: number;
  log(msg: string): void;
}

/** One create's figures, in ms from just before its POST. */
export interface Sample {
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

/** Paver and stock creates submitted at the same moment, side by side, with stock / Paver. */
export interface Pair {
  paver: Sample;
  stock: Sample;
}

let counter = 0;
export function uniqueName(run: CreateRun, prefix: string) {
  return `${prefix}-${run.runId}-${++counter}`;
}

/** POSTs the task; its id. */
export async function submit(
  run: CreateRun,
  subject: Subject,
  name: string,
): Promise<string> {
  const { id } = await api<{ id: string }>(
    run.backend,
    '/api/scaffolder/v2/tasks',
    {
      method: 'POST',
      body: JSON.stringify({
        templateRef: subject.templateRef,
        values: subject.answers(name),
      }),
    },
    run.userToken,
  );
  return id;
}

/** Follows the event stream, noting when the publish step and the task complete. */
export function follow(
  run: CreateRun,
  id: string,
  t0: number,
  sample: Sample,
): Promise<TaskEvent[]> {
  return streamEvents(run.backend, run.userToken, id, event => {
    if (event.body.stepId === 'publish' && event.body.status === 'completed') {
      sample.publishEventMs ??= performance.now() - t0;
    }
    if (event.type === 'completion') sample.doneMs = performance.now() - t0;
  });
}

/** The task's final status, once its event stream has ended. */
export async function taskStatus(run: CreateRun, id: string): Promise<string> {
  const { status } = await api<{ status: string }>(
    run.backend,
    `/api/scaffolder/v2/tasks/${id}`,
    {},
    run.userToken,
  );
  return status;
}

/** The ref a create's push writes: its appearance is the "pushed" moment. */
export function refPath(run: CreateRun, name: string) {
  return path.join(run.dataDir, 'git', `${name}.git`, 'refs', 'heads', 'main');
}

/** What a failed task said last: its completion error, else its last log line about one. */
export function lastError(events: TaskEvent[]): string {
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

/** "pushed 1.20 s, done 2.31 s, visible 3.05 s", and the error if there is one. */
export function timings(s: Sample): string {
  return `pushed ${sec(s.pushedMs ?? NaN)} s, done ${sec(
    s.doneMs ?? NaN,
  )} s, visible ${sec(s.visibleMs ?? NaN)} s${s.error ? ` ${s.error}` : ''}`;
}

/** One create, measured on its own. */
export async function createOne(
  run: CreateRun,
  subject: Subject,
): Promise<Sample> {
  const name = uniqueName(run, subject.prefix);
  const sample: Sample = { subject: subject.label, name, status: 'submitted' };
  const t0 = performance.now();
  let finished = false;
  let failed = false;
  let stage = 'submit';
  try {
    // A failed task never becomes visible: stop polling then.
    const visible = pollVisible(run, name, t0, sample, () => failed);
    const pushed = pollPushed(run, name, t0, sample, () => finished);
    const id = await submit(run, subject, name);
    stage = `event stream of task ${id}`;
    const events = await follow(run, id, t0, sample);
    stage = `status of task ${id}`;
    const status = await taskStatus(run, id);
    sample.status = status;
    if (status !== 'completed') {
      sample.error = lastError(events);
      // A task that failed before its push never becomes visible; one that failed after it (a
      // registration that timed out) may, later: keep polling for that one.
      if (sample.pushedMs === undefined && !fs.existsSync(refPath(run, name)))
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

/** The push, seen on the file system (polled every 25 ms). */
async function pollPushed(
  run: CreateRun,
  name: string,
  t0: number,
  sample: Sample,
  stop: () => boolean,
) {
  while (!stop()) {
    if (fs.existsSync(refPath(run, name))) {
      sample.pushedMs = performance.now() - t0;
      return;
    }
    await sleep(25);
  }
}

/** The entity, served by name by the catalog (polled every 100 ms). */
async function pollVisible(
  run: CreateRun,
  name: string,
  t0: number,
  sample: Sample,
  stop: () => boolean,
) {
  while (!stop() && performance.now() - t0 < run.visibleTimeoutMs) {
    const started = performance.now();
    try {
      const res = await fetch(
        `${run.backend.baseUrl}/api/catalog/entities/by-name/component/default/${name}`,
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

/** A Paver and a stock create submitted at the same moment; collected into `into` when both end. */
export async function startPair(
  run: CreateRun,
  phase: string,
  paverSubject: Subject,
  atMs: number,
  backlog: number | undefined,
  into: Pair[],
) {
  const [paver, stock] = await Promise.all([
    createOne(run, paverSubject),
    createOne(run, STOCK),
  ]);
  for (const s of [paver, stock]) {
    s.backlog = backlog;
    s.atMs = atMs;
    run.log(
      `${phase} +${sec(atMs)} s ${s.subject}: backlog ${backlog ?? '—'}, ${
        s.status
      }, ${timings(s)}`,
    );
  }
  into.push({ paver, stock });
}

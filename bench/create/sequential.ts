// The sequential phase: each template created one at a time, interleaved, after one unmeasured
// warm-up create of each.
import { loadAverage, sleep } from '../backendBench';
import { createOne, timings, type CreateRun, type Sample } from './creates';
import { sec } from './report';
import type { Subject } from './subjects';

/** One unmeasured create of each, so JIT and first-use costs stay out of the figures. */
export async function warmUp(run: CreateRun, subjects: Subject[]) {
  run.log('warm-up: one create of each template');
  for (const subject of subjects) {
    const s = await createOne(run, subject);
    if (s.status !== 'completed')
      throw new Error(`warm-up ${subject.label} ${s.status}: ${s.error}`);
    run.log(
      `  warm-up ${subject.label}: ${s.status} pushed ${sec(
        s.pushedMs ?? NaN,
      )} s, visible ${sec(s.visibleMs ?? NaN)} s${
        s.error ? ` ${s.error}` : ''
      }`,
    );
  }
}

/** `runs` rounds of one create of each subject; the load average before and after. */
export async function sequentialCreates(
  run: CreateRun,
  subjects: Subject[],
  runs: number,
): Promise<{ samples: Sample[]; load: string[] }> {
  const load = [loadAverage()];
  const samples: Sample[] = [];
  for (let r = 0; r < runs; r++) {
    for (const subject of subjects) {
      // The catalog's loops poll once a second and a create starts right after the previous
      // one's completion event (also once a second): without a random offset every create
      // would start at the same phase of those loops and measure that phase, not the flow.
      await sleep(Math.random() * 1000);
      const s = await createOne(run, subject);
      samples.push(s);
      run.log(
        `run ${r + 1}/${runs} ${subject.label}: ${s.status} ${timings(s)}`,
      );
    }
  }
  load.push(loadAverage());
  return { samples, load };
}

import { HttpError } from '@paver/service-runtime';
import { BoundedWorkQueue } from '../src/domain/work-queue.js';

/** A job that runs until the test lets it finish. */
function gatedJob() {
  let finish!: () => void;
  let started = false;
  const done = new Promise<void>(resolve => (finish = resolve));
  return {
    job: async () => {
      started = true;
      await done;
    },
    finish: () => finish(),
    get started() {
      return started;
    },
  };
}

const tick = () => new Promise(resolve => setImmediate(resolve));

describe('the bounded work queue around scrypt', () => {
  it('runs at most `concurrency` jobs at once and starts waiting ones in order', async () => {
    const queue = new BoundedWorkQueue({ concurrency: 2, queueLength: 5 });
    const jobs = Array.from({ length: 4 }, gatedJob);
    const runs = jobs.map(j => queue.run(j.job));
    await tick();
    expect(jobs.map(j => j.started)).toEqual([true, true, false, false]);
    expect(queue.load).toEqual({ running: 2, waiting: 2 });
    jobs[1].finish();
    await tick();
    expect(jobs.map(j => j.started)).toEqual([true, true, true, false]);
    jobs.forEach(j => j.finish());
    await Promise.all(runs);
    expect(queue.load).toEqual({ running: 0, waiting: 0 });
  });

  it('refuses work beyond the queue with a 503 busy and Retry-After, without running it', async () => {
    const queue = new BoundedWorkQueue({ concurrency: 1, queueLength: 1 });
    const running = gatedJob();
    const waiting = gatedJob();
    const runs = [queue.run(running.job), queue.run(waiting.job)];
    const refused = gatedJob();
    const error = await queue.run(refused.job).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 503, code: 'busy', headers: { 'retry-after': '1' } });
    expect(refused.started).toBe(false);
    running.finish();
    waiting.finish();
    await Promise.all(runs);
  });

  it('frees the slot of a job that failed', async () => {
    const queue = new BoundedWorkQueue({ concurrency: 1, queueLength: 0 });
    await expect(queue.run(async () => Promise.reject(new Error('scrypt failed')))).rejects.toThrow('scrypt failed');
    await expect(queue.run(async () => 'next')).resolves.toBe('next');
  });
});

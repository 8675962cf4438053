import { HttpError } from '@paver/service-runtime';

export interface WorkQueueLimits {
  /** Jobs running at once. */
  concurrency: number;
  /** Jobs waiting for a slot; one more is refused. */
  queueLength: number;
}

/**
 * A semaphore with a bounded wait list. Password hashing runs on libuv's thread pool (4 threads by
 * default), which DNS lookups and file reads share; capping the hashes in flight keeps a burst of
 * logins from starving them, and refusing work beyond the queue keeps latency bounded.
 */
export class BoundedWorkQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limits: WorkQueueLimits) {}

  /** Runs `job` when a slot is free, or throws a 503 `busy` at once when the queue is full. */
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.limits.concurrency) {
      if (this.waiting.length >= this.limits.queueLength) throw busy();
      await new Promise<void>(resolve => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await job();
    } finally {
      this.release();
    }
  }

  /** Jobs running and waiting, for metrics and tests. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  // The slot passes straight to the next waiter, so `running` never dips and lets a newcomer jump the queue.
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}

// One second: a hash takes well under that, so the queue has moved on by then.
const busy = () =>
  new HttpError(503, 'busy', 'too many password checks are in progress; retry shortly', { 'retry-after': '1' });

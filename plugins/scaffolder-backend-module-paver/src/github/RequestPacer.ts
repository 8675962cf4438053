import {
  type GithubPacer,
  type PacingOptions,
  type PacingRules,
  nextWriteAt,
  pacingRules,
} from './pacing';

type Waiter = {
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal?: AbortSignal;
};

/**
 * Paces requests to GitHub for one process, in memory: for tests and use without a database
 * (DatabasePacer shares the budget between replicas). Content-creating requests (POST, PUT,
 * PATCH, DELETE) queue in order until every window has room: over budget means later, never
 * failed. After GitHub announces a rate limit, every request waits until the window has passed.
 */
export class RequestPacer implements GithubPacer {
  private readonly rules: PacingRules;
  /** Times (ms) content-creating requests were let go, oldest first. */
  private readonly granted: number[] = [];
  private readonly writers: Waiter[] = [];
  private readonly readers: Waiter[] = [];
  private pausedUntil = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: PacingOptions = {}) {
    this.rules = pacingRules(options);
  }

  acquire(kind: 'write' | 'read', signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    return new Promise((resolve, reject) => {
      const onAbort = () => this.drop(waiter);
      const waiter: Waiter = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject,
        signal,
      };
      (kind === 'write' ? this.writers : this.readers).push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pump();
    });
  }

  /** Holds every request back until `time` (ms), e.g. when GitHub answered with retry-after. */
  async pauseUntil(time: number): Promise<void> {
    this.pausedUntil = Math.max(this.pausedUntil, time);
    this.pump();
  }

  /** When content-creating requests were let go (ms), for telemetry and tests. */
  grants(): readonly number[] {
    return [...this.granted];
  }

  private nextWriteAt(): number {
    return nextWriteAt(this.granted, this.pausedUntil, this.rules);
  }

  private pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const now = Date.now();
    if (now >= this.pausedUntil)
      this.readers.splice(0).forEach(r => r.resolve());
    while (this.writers.length > 0 && this.nextWriteAt() <= now) {
      this.granted.push(now);
      this.writers.shift()!.resolve();
    }
    this.forget(now);
    const wake = Math.min(
      this.writers.length > 0 ? this.nextWriteAt() : Infinity,
      this.readers.length > 0 ? this.pausedUntil : Infinity,
    );
    if (wake !== Infinity)
      this.timer = setTimeout(() => this.pump(), Math.max(0, wake - now));
  }

  /** Grants older than the longest window can no longer constrain anything. */
  private forget(now: number): void {
    while (
      this.granted.length > 0 &&
      this.granted[0] < now - this.rules.horizonMs
    )
      this.granted.shift();
  }

  private drop(waiter: Waiter): void {
    for (const queue of [this.writers, this.readers]) {
      const index = queue.indexOf(waiter);
      if (index >= 0) queue.splice(index, 1);
    }
    waiter.reject(waiter.signal?.reason);
    this.pump();
  }
}

let processPacer: RequestPacer | undefined;

/** The pacer every client in this process shares unless it is given its own. */
export function processWidePacer(): RequestPacer {
  processPacer ??= new RequestPacer();
  return processPacer;
}

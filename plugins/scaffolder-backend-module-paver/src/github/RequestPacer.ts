/** One budget: at most `limit` content-creating requests in any `windowMs`. */
export interface PacingWindow {
  readonly limit: number;
  readonly windowMs: number;
}

export interface PacingOptions {
  /**
   * Budgets that must all hold. GitHub's secondary limits for content-creating requests.
   * @default [{ limit: 80, windowMs: 60_000 }, { limit: 500, windowMs: 3_600_000 }]
   */
  readonly windows?: readonly PacingWindow[];
  /**
   * Smallest gap between two content-creating requests; GitHub asks for at least one second.
   * @default 1000
   */
  readonly minIntervalMs?: number;
  /**
   * Added to every window: a request reaches GitHub some time after we let it go, and that
   * latency must not squeeze two windows' worth into one on GitHub's clock.
   * @default 1000
   */
  readonly latencyAllowanceMs?: number;
}

export const GITHUB_SECONDARY_LIMITS: readonly PacingWindow[] = [
  { limit: 80, windowMs: 60_000 },
  { limit: 500, windowMs: 3_600_000 },
];

type Waiter = {
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal?: AbortSignal;
};

/**
 * Paces requests to GitHub for a whole process. Content-creating requests (POST, PUT, PATCH,
 * DELETE) queue in order until every window has room: over budget means later, never failed.
 * After GitHub announces a rate limit, every request waits until the window has passed.
 */
export class RequestPacer {
  private readonly windows: readonly PacingWindow[];
  private readonly minIntervalMs: number;
  private readonly allowanceMs: number;
  /** Times (ms) content-creating requests were let go, oldest first. */
  private readonly granted: number[] = [];
  private readonly writers: Waiter[] = [];
  private readonly readers: Waiter[] = [];
  private pausedUntil = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: PacingOptions = {}) {
    this.windows = options.windows ?? GITHUB_SECONDARY_LIMITS;
    this.minIntervalMs = options.minIntervalMs ?? 1000;
    this.allowanceMs = options.latencyAllowanceMs ?? 1000;
    if (this.windows.some(w => w.limit < 1 || w.windowMs <= 0)) {
      throw new RangeError(
        'every pacing window needs a limit of at least 1 and a positive length',
      );
    }
  }

  /** Resolves when a request may be sent; content-creating requests count against the budget. */
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
  pauseUntil(time: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, time);
    this.pump();
  }

  /** When content-creating requests were let go (ms), for telemetry and tests. */
  grants(): readonly number[] {
    return [...this.granted];
  }

  private nextWriteAt(): number {
    let at = this.pausedUntil;
    const n = this.granted.length;
    if (n > 0) at = Math.max(at, this.granted[n - 1] + this.minIntervalMs);
    for (const { limit, windowMs } of this.windows) {
      // The limit-th most recent grant must have left the window before another may go.
      if (n >= limit)
        at = Math.max(
          at,
          this.granted[n - limit] + windowMs + this.allowanceMs,
        );
    }
    return at;
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
    const horizon =
      Math.max(...this.windows.map(w => w.windowMs)) + this.allowanceMs;
    while (this.granted.length > 0 && this.granted[0] < now - horizon)
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

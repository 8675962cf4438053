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

/**
 * What createGithubClient needs from a pacer. `RequestPacer` keeps the budget in memory (one
 * process, tests); `DatabasePacer` keeps it in the scaffolder's database, shared by every replica.
 */
export interface GithubPacer {
  /**
   * Resolves when a request may be sent; content-creating requests ('write') count against the
   * budget, reads only wait out a rate-limit pause. Rejects with the signal's reason when aborted.
   */
  acquire(kind: 'write' | 'read', signal?: AbortSignal): Promise<void>;
  /**
   * Holds every request back until `time` (ms since the epoch, this process's clock), e.g. when
   * GitHub answered with retry-after. Resolves once the pause is recorded.
   */
  pauseUntil(time: number): Promise<void>;
}

/** PacingOptions with defaults applied and checked. */
export interface PacingRules {
  readonly windows: readonly PacingWindow[];
  readonly minIntervalMs: number;
  readonly allowanceMs: number;
  /** Grants older than this can no longer constrain anything. */
  readonly horizonMs: number;
  /** How many recent grants the decision needs to see. */
  readonly maxLimit: number;
}

export function pacingRules(options: PacingOptions = {}): PacingRules {
  const windows = options.windows ?? GITHUB_SECONDARY_LIMITS;
  if (windows.some(w => w.limit < 1 || w.windowMs <= 0)) {
    throw new RangeError(
      'every pacing window needs a limit of at least 1 and a positive length',
    );
  }
  const allowanceMs = options.latencyAllowanceMs ?? 1000;
  return {
    windows,
    minIntervalMs: options.minIntervalMs ?? 1000,
    allowanceMs,
    horizonMs: Math.max(0, ...windows.map(w => w.windowMs)) + allowanceMs,
    // At least the last grant, for the minimum gap.
    maxLimit: Math.max(1, ...windows.map(w => w.limit)),
  };
}

/** The earliest time the next content-creating request may go, given earlier grants (oldest first). */
export function nextWriteAt(
  granted: readonly number[],
  pausedUntil: number,
  rules: PacingRules,
): number {
  let at = pausedUntil;
  const n = granted.length;
  if (n > 0) at = Math.max(at, granted[n - 1] + rules.minIntervalMs);
  for (const { limit, windowMs } of rules.windows) {
    // The limit-th most recent grant must have left the window before another may go.
    if (n >= limit)
      at = Math.max(at, granted[n - limit] + windowMs + rules.allowanceMs);
  }
  return at;
}

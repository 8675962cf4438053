import { RequestPacer } from './RequestPacer';

/** For every window: the limit-th next grant after any grant is at least a window later. */
function overBudget(
  times: number[],
  limit: number,
  windowMs: number,
): Array<[number, number]> {
  const sorted = [...times].sort((a, b) => a - b);
  const bad: Array<[number, number]> = [];
  for (let i = 0; i + limit < sorted.length; i++) {
    if (sorted[i + limit] - sorted[i] < windowMs)
      bad.push([sorted[i], sorted[i + limit]]);
  }
  return bad;
}

describe('RequestPacer', () => {
  // Fake timers: the clock moves only when the pacer's own timers fire, so the recorded times are
  // exactly when it let each request go (the wire-level test lives in createGithubClient.test.ts).
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const settle = async <T>(work: Promise<T>) => {
    await vi.runAllTimersAsync();
    return work;
  };

  it('queues a burst over budget and lets every request go, never more than the budget per window', async () => {
    const windows = [
      { limit: 5, windowMs: 100 },
      { limit: 12, windowMs: 400 },
    ];
    const pacer = new RequestPacer({
      windows,
      minIntervalMs: 0,
      latencyAllowanceMs: 0,
    });
    const startedAt: number[] = [];
    const start = Date.now();

    await settle(
      Promise.all(
        Array.from({ length: 40 }, () =>
          pacer.acquire('write').then(() => startedAt.push(Date.now())),
        ),
      ),
    );

    expect(startedAt).toHaveLength(40);
    // And no slower than the budget allows: 5+5+2 every 400 ms, so the 40th goes at 1200 ms.
    expect(Math.max(...startedAt) - start).toBe(1200);
    for (const { limit, windowMs } of windows)
      expect(overBudget(startedAt, limit, windowMs)).toEqual([]);
  });

  it('keeps the minimum gap between content-creating requests', async () => {
    const pacer = new RequestPacer({
      windows: [{ limit: 100, windowMs: 1000 }],
      minIntervalMs: 30,
      latencyAllowanceMs: 0,
    });
    const times: number[] = [];

    await settle(
      Promise.all(
        [1, 2, 3, 4].map(() =>
          pacer.acquire('write').then(() => times.push(Date.now())),
        ),
      ),
    );

    times
      .slice(1)
      .forEach((t, i) => expect(t - times[i]).toBeGreaterThanOrEqual(30));
  });

  it('does not make reads wait behind queued content-creating requests', async () => {
    const pacer = new RequestPacer({
      windows: [{ limit: 1, windowMs: 60_000 }],
      latencyAllowanceMs: 0,
    });
    const order: string[] = [];
    const stop = new AbortController();
    await pacer.acquire('write');
    const queued = pacer
      .acquire('write', stop.signal)
      .then(() => order.push('write'));

    await pacer.acquire('read').then(() => order.push('read'));
    stop.abort();

    await expect(queued).rejects.toThrow();
    expect(order).toEqual(['read']);
  });

  it('holds reads and writes back until a rate-limit pause is over', async () => {
    const pacer = new RequestPacer({ minIntervalMs: 0, latencyAllowanceMs: 0 });
    const until = Date.now() + 150;
    pacer.pauseUntil(until);

    const times = await settle(
      Promise.all([
        pacer.acquire('read').then(() => Date.now()),
        pacer.acquire('write').then(() => Date.now()),
      ]),
    );

    times.forEach(t => expect(t).toBeGreaterThanOrEqual(until));
  });

  it('refuses a window that could never admit a request', () => {
    expect(
      () => new RequestPacer({ windows: [{ limit: 0, windowMs: 1000 }] }),
    ).toThrow(RangeError);
  });
});

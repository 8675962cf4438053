import { DatabasePacer } from './DatabasePacer';
import type { PacingOptions } from './pacing';
import { GRANTS_TABLE } from './pacingLedger';
import { ENGINES, testDatabases } from '@paver/test-utils';

/** Pairs (earlier, later) closer than `windowMs` with `limit` grants between them: over budget. */
function overBudget(times: number[], limit: number, windowMs: number) {
  const sorted = [...times].sort((x, y) => x - y);
  const bad: Array<[number, number]> = [];
  for (let i = 0; i + limit < sorted.length; i++)
    if (sorted[i + limit] - sorted[i] < windowMs)
      bad.push([sorted[i], sorted[i + limit]]);
  return bad;
}

const gaps = (times: number[]) =>
  [...times]
    .sort((x, y) => x - y)
    .flatMap((t, i, all) => (i > 0 ? [t - all[i - 1]] : []));

// Real clocks and short windows: fake timers cannot move a database's clock.
// The ledger forgets grants older than the longest window; tests that read it back add this
// window, which never binds here, so every grant is still there to inspect.
const KEEP_LEDGER = { limit: 1000, windowMs: 60_000 };

describe.each(ENGINES)('DatabasePacer: two replicas on one %s', engine => {
  const { twoPools } = testDatabases(engine, 'pacing');

  /**
   * A fresh ledger per test and two pacers on it. On PostgreSQL each "replica" has its own
   * connection pool, as two processes would; SQLite is one process's embedded database.
   */
  async function twoReplicas(options: PacingOptions) {
    const [a, b] = await twoPools();
    const [first, second] = await Promise.all([
      DatabasePacer.create(a, options),
      DatabasePacer.create(b, options),
    ]);
    const ledger = async () =>
      (await a(GRANTS_TABLE).select('granted_at')).map(r =>
        Number(r.granted_at),
      );
    return { replicas: [first, second], ledger };
  }

  it('keeps the combined grants of both replicas under every window and the minimum gap, failing none', async () => {
    const windows = [
      { limit: 5, windowMs: 1000 },
      { limit: 7, windowMs: 2500 },
    ];
    const { replicas, ledger } = await twoReplicas({
      windows: [...windows, KEEP_LEDGER],
      minIntervalMs: 50,
      latencyAllowanceMs: 250,
    });
    const letGo: Array<{ replica: number; at: number }> = [];

    await Promise.all(
      replicas.flatMap((pacer, replica) =>
        Array.from({ length: 6 }, () =>
          pacer
            .acquire('write')
            .then(() => letGo.push({ replica, at: Date.now() })),
        ),
      ),
    );

    expect(letGo).toHaveLength(12);
    expect(new Set(letGo.map(g => g.replica)).size).toBe(2);
    // What GitHub would see: never more than the limit in any window.
    const seen = letGo.map(g => g.at);
    for (const { limit, windowMs } of windows)
      expect(overBudget(seen, limit, windowMs)).toEqual([]);
    // What the pacers decided, on the database's clock: one row per grant, the allowance kept
    // in every window, and the minimum gap between any two grants from either replica.
    const decided = await ledger();
    expect(decided).toHaveLength(12);
    for (const { limit, windowMs } of windows)
      expect(overBudget(decided, limit, windowMs + 250)).toEqual([]);
    expect(Math.min(...gaps(decided))).toBeGreaterThanOrEqual(50);
  });

  it('holds the other replica back, reads and writes, until a retry-after recorded by one has passed', async () => {
    const { replicas } = await twoReplicas({
      minIntervalMs: 0,
      latencyAllowanceMs: 0,
    });
    const until = Date.now() + 600;

    await replicas[0].pauseUntil(until);
    const times = await Promise.all([
      replicas[1].acquire('write').then(() => Date.now()),
      replicas[1].acquire('read').then(() => Date.now()),
    ]);

    times.forEach(t => expect(t).toBeGreaterThanOrEqual(until));
  });

  it('takes an aborted waiter out of the queue without spending its slot', async () => {
    const windowMs = 800;
    const { replicas, ledger } = await twoReplicas({
      windows: [{ limit: 1, windowMs }, KEEP_LEDGER],
      minIntervalMs: 0,
      latencyAllowanceMs: 0,
    });
    await replicas[0].acquire('write');
    const first = Date.now();
    const stop = new AbortController();
    const cancelled = replicas[0].acquire('write', stop.signal);
    setTimeout(() => stop.abort(new Error('task cancelled')), 100);
    await expect(cancelled).rejects.toThrow('task cancelled');

    await replicas[1].acquire('write');

    // The next slot (one window after the first) went to the other replica, not to nobody.
    expect(Date.now() - first).toBeLessThan(1.5 * windowMs);
    expect(await ledger()).toHaveLength(2);
  });

  it('stops a read waiting out a pause when its signal is aborted', async () => {
    const { replicas } = await twoReplicas({});
    await replicas[0].pauseUntil(Date.now() + 60_000);
    const stop = new AbortController();
    const read = replicas[1].acquire('read', stop.signal);

    setTimeout(() => stop.abort(new Error('task cancelled')), 50);

    await expect(read).rejects.toThrow('task cancelled');
  });

  it('forgets grants older than the longest window', async () => {
    const { replicas, ledger } = await twoReplicas({
      windows: [{ limit: 2, windowMs: 300 }],
      minIntervalMs: 0,
      latencyAllowanceMs: 0,
    });
    await Promise.all([
      replicas[0].acquire('write'),
      replicas[1].acquire('write'),
    ]);
    await new Promise(resolve => setTimeout(resolve, 400));

    await replicas[0].acquire('write');

    expect(await ledger()).toHaveLength(1);
  });
});

import type { DatabaseService } from '@backstage/backend-plugin-api';
import { type PacingRules, nextWriteAt } from './pacing';

/** The scaffolder database's client (knex), named through the service so no knex import is needed. */
export type Knex = Awaited<ReturnType<DatabaseService['getClient']>>;

/** One row per content-creating request let go, at the database's clock (ms since the epoch). */
export const GRANTS_TABLE = 'paver_github_grants';
/** One row per retry-after GitHub answered: no request may go before `paused_until`. */
export const PAUSES_TABLE = 'paver_github_pauses';

const isPostgres = (knex: Knex) => knex.client.dialect === 'postgresql';

/**
 * Where taking a slot can be made atomic across everything that shares the database: PostgreSQL
 * (an advisory lock) and SQLite (one process, one connection, so a transaction is enough).
 */
export function ledgerSupported(knex: Knex): boolean {
  return isPostgres(knex) || knex.client.dialect === 'sqlite3';
}

/** Serializes pacing decisions across replicas until the transaction ends. */
async function lock(tx: Knex): Promise<void> {
  if (isPostgres(tx))
    await tx.raw(
      `select pg_advisory_xact_lock(hashtext('paver_github_grants'))`,
    );
}

/**
 * Whole ms since the epoch on the database's clock on PostgreSQL: the one clock every replica
 * shares, so skew between hosts cannot squeeze the budget. clock_timestamp(), not now(): now() is
 * when the transaction began, possibly long before the lock was ours. SQLite lives in this
 * process, whose clock is the same.
 */
async function clock(tx: Knex): Promise<number> {
  if (!isPostgres(tx)) return Date.now();
  const { rows } = await tx.raw(
    'select floor(extract(epoch from clock_timestamp()) * 1000) as now',
  );
  return Number(rows[0].now);
}

/** Creates the ledger if it is missing; under the lock, so replicas starting together do not race. */
export async function ensureLedger(knex: Knex): Promise<void> {
  await knex.transaction(async tx => {
    await lock(tx);
    if (!(await tx.schema.hasTable(GRANTS_TABLE))) {
      await tx.schema.createTable(GRANTS_TABLE, table => {
        table.bigIncrements('id');
        table.bigInteger('granted_at').notNullable().index();
      });
    }
    if (!(await tx.schema.hasTable(PAUSES_TABLE))) {
      await tx.schema.createTable(PAUSES_TABLE, table => {
        table.bigIncrements('id');
        table.bigInteger('paused_until').notNullable();
      });
    }
  });
}

export type GrantDecision =
  | { granted: true }
  | { granted: false; waitMs: number };

/**
 * In one transaction holding the lock: forget rows that can no longer constrain anything, read the
 * budget, and record a grant if it has room and `wanted()` still holds (the waiter may have
 * aborted while we waited for the lock; an unwanted grant would spend a slot for nothing).
 */
export async function tryGrant(
  knex: Knex,
  rules: PacingRules,
  wanted: () => boolean,
): Promise<GrantDecision> {
  return knex.transaction(async tx => {
    await lock(tx);
    const now = await clock(tx);
    await tx(GRANTS_TABLE)
      .where('granted_at', '<', now - rules.horizonMs)
      .delete();
    await tx(PAUSES_TABLE).where('paused_until', '<', now).delete();
    const recent = await tx(GRANTS_TABLE)
      .select('granted_at')
      .orderBy('granted_at', 'desc')
      .limit(rules.maxLimit);
    const granted = recent.map(r => Number(r.granted_at)).reverse();
    const at = nextWriteAt(granted, await pausedUntil(tx), rules);
    if (at > now || !wanted())
      return { granted: false, waitMs: Math.max(1, at - now) };
    await tx(GRANTS_TABLE).insert({ granted_at: now });
    return { granted: true };
  });
}

/** Records that no request may go for `durationMs` from now, on the database's clock. */
export async function recordPause(
  knex: Knex,
  durationMs: number,
): Promise<void> {
  await knex.transaction(async tx => {
    // Under the lock, so a grant decided after this commits sees the pause.
    await lock(tx);
    const until = (await clock(tx)) + Math.ceil(durationMs);
    await tx(PAUSES_TABLE).insert({ paused_until: until });
  });
}

/** How long (ms) a recorded pause still holds every request back; reads take no lock. */
export async function pauseRemaining(knex: Knex): Promise<number> {
  const until = await pausedUntil(knex);
  return until - (await clock(knex));
}

async function pausedUntil(tx: Knex): Promise<number> {
  const row = await tx(PAUSES_TABLE).max('paused_until as until').first();
  return Number(row?.until ?? 0);
}

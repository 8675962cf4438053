import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

/** At most this many entities are queued per run; the rest wait for the next run. */
export const REPAIR_LIMIT = 500;

/**
 * A stitched entity without search rows is left alone this long after its stitch wrote it: the
 * stitcher writes `final_entities`, then the search rows, so a healthy stitch in flight looks
 * broken for a moment. Compared with `final_entities.last_updated_at`, on the database's clock.
 */
export const SEARCH_GRACE_SECONDS = 60;

/**
 * What the repair writes to `final_entities.hash` so the next stitch rewrites the entity and its
 * search rows: the stitcher compares its new hash with this column and, equal, returns before
 * writing anything. Short, as the sentinel hashes Backstage itself once wrote to force a stitch
 * (see the catalog's 20230525141717_stitch_queue migration); never the hash of an entity (40 hex).
 */
export const INVALIDATED_HASH = 'paver-repair';

/** The entity refs one run queued for stitching (as stored in `refresh_state.entity_ref`). */
export interface CatalogRepairResult {
  /** Processed, with no stitched entity and no stitch queued. */
  unstitched: string[];
  /** Stitched, with no search rows and no stitch queued that would write them. */
  unsearchable: string[];
}

/** Database clients whose time arithmetic this file speaks. */
export function canRepair(knex: Knex): boolean {
  return (
    knex.client.dialect === 'postgresql' || knex.client.dialect === 'sqlite3'
  );
}

/**
 * How long a run waits before it checks its candidates again. Healthy entities pass through the
 * broken-looking states for a moment: the engine queues the stitch right after committing the
 * result, the stitcher writes search rows right after `final_entities`. At a short frequency and
 * during an ingest, a run caught one in that gap (pgOutage.e2e.test.ts, a run before the outage);
 * only candidates still broken after this are queued.
 */
export const SETTLE_MS = 2_000;

export interface RepairOptions {
  /** At most this many entities per run ({@link REPAIR_LIMIT}). */
  limit?: number;
  /** {@link SEARCH_GRACE_SECONDS}. */
  graceSeconds?: number;
  /** Waits between the two checks; {@link SETTLE_MS} by default. */
  settle?: () => Promise<void>;
}

/**
 * Finds catalog entities that Backstage's catalog (plugin-catalog-backend 4.0.0) will never
 * stitch again after being cut between two of its writes, and queues them for stitching the way
 * its `markForStitching` does:
 *
 * - **processed, never stitched** (backstage/backstage#34686): the processing engine commits the
 *   result and its `result_hash`, then queues the stitch in a separate write. Cut in between, the
 *   entity has a `processed_entity`, no `final_entities` row (or one whose `final_entity` is null)
 *   and no `stitch_queue` row, and every later processing run sees an unchanged hash and queues
 *   nothing. Queued.
 * - **stitched, without search rows** (backstage/backstage#35734): the stitcher writes
 *   `final_entities`, then the `search` rows. Cut in between, the entity is served by name and
 *   missing from every filtered list, and a retried stitch finds its hash unchanged and writes
 *   nothing. A stitch request alone would end the same way, so the repair also sets
 *   `final_entities.hash` to {@link INVALIDATED_HASH}; then it is queued. Entities written less
 *   than {@link SEARCH_GRACE_SECONDS} ago are skipped (a stitch may be between its two writes),
 *   and so are those already invalidated and queued (a run before this one repaired them).
 *
 * Only entities with a `processed_entity` are considered: the stitcher abandons the others.
 * Candidates are checked twice, {@link SETTLE_MS} apart, and only those broken both times are
 * repaired. At most `limit` entities per run. The hash is invalidated before the stitch is
 * queued, so a stitch never takes the request with the old hash still in place; a run cut between
 * the two leaves an invalidated, unqueued entity, which the next run finds and queues. PostgreSQL
 * and SQLite ({@link canRepair}). Parameterized queries only.
 */
export async function repairStitching(
  knex: Knex,
  options: RepairOptions = {},
): Promise<CatalogRepairResult> {
  const limit = options.limit ?? REPAIR_LIMIT;
  const graceSeconds = options.graceSeconds ?? SEARCH_GRACE_SECONDS;
  if (!canRepair(knex)) {
    throw new Error(
      `catalog repair supports PostgreSQL and SQLite, not ${knex.client.config.client}`,
    );
  }
  const candidates = await findBroken(knex, { limit, graceSeconds });
  if (candidates.unstitched.length + candidates.unsearchable.length === 0)
    return { unstitched: [], unsearchable: [] };
  await (
    options.settle ??
    (() => new Promise<void>(resolve => setTimeout(resolve, SETTLE_MS)))
  )();
  const { unstitched, unsearchable } = await findBroken(knex, {
    limit,
    graceSeconds,
    among: [...candidates.unstitched, ...candidates.unsearchable].map(
      r => r.entity_ref,
    ),
  });

  const invalidate = [...unstitched, ...unsearchable].flatMap(r =>
    r.final_id === null ? [] : [r.final_id],
  );
  for (const ids of chunks(invalidate)) {
    await knex('final_entities')
      .whereIn('entity_id', ids)
      .update({ hash: INVALIDATED_HASH });
  }
  await markForStitching(
    knex,
    [...unstitched, ...unsearchable].map(r => r.entity_ref),
  );
  return {
    unstitched: unstitched.map(r => r.entity_ref),
    unsearchable: unsearchable.map(r => r.entity_ref),
  };
}

type Broken = { entity_ref: string; final_id: string | null };

/** Both kinds of broken entity, at most `limit` in all; only among the given refs if `among` is set. */
async function findBroken(
  knex: Knex,
  options: { limit: number; graceSeconds: number; among?: string[] },
): Promise<{ unstitched: Broken[]; unsearchable: Broken[] }> {
  const { limit, graceSeconds, among } = options;
  const queued = (ref: string) =>
    knex('stitch_queue as sq')
      .select(knex.raw('1'))
      .where('sq.entity_ref', knex.ref(ref));

  const unstitched: Broken[] = await knex('refresh_state as rs')
    .leftJoin('final_entities as fe', 'fe.entity_id', 'rs.entity_id')
    .select({ entity_ref: 'rs.entity_ref', final_id: 'fe.entity_id' })
    .modify(q => {
      if (among) q.whereIn('rs.entity_ref', among);
    })
    .whereNotNull('rs.processed_entity')
    .where(q => q.whereNull('fe.entity_id').orWhereNull('fe.final_entity'))
    .whereNotExists(queued('rs.entity_ref'))
    .limit(limit);

  const unsearchable: Broken[] =
    unstitched.length >= limit
      ? []
      : await knex('final_entities as fe')
          .join('refresh_state as rs', 'rs.entity_id', 'fe.entity_id')
          .select({ entity_ref: 'rs.entity_ref', final_id: 'fe.entity_id' })
          .modify(q => {
            if (among) q.whereIn('rs.entity_ref', among);
          })
          .whereNotNull('fe.final_entity')
          .whereNotNull('rs.processed_entity')
          .whereNotExists(
            knex('search as s')
              .select(knex.raw('1'))
              .where('s.entity_id', knex.ref('fe.entity_id')),
          )
          .where(q =>
            q
              .whereNull('fe.last_updated_at')
              .orWhere(
                'fe.last_updated_at',
                '<',
                secondsAgo(knex, graceSeconds),
              ),
          )
          .whereNot(q =>
            q
              .where('fe.hash', INVALIDATED_HASH)
              .whereExists(queued('rs.entity_ref')),
          )
          .limit(limit - unstitched.length);
  return { unstitched, unsearchable };
}

/**
 * The stitch request of plugin-catalog-backend 4.0.0's `markForStitching`, verbatim: one new
 * ticket, `next_stitch_at` now, and on an existing row only the ticket replaced (a stitch holding
 * the old ticket then leaves the row for another stitch instead of deleting it). Sorted chunks of
 * 100, as there.
 */
async function markForStitching(
  knex: Knex,
  entityRefs: string[],
): Promise<void> {
  const ticket = randomUUID();
  for (const refs of chunks([...entityRefs].sort())) {
    await knex('stitch_queue')
      .insert(
        refs.map(ref => ({
          entity_ref: ref,
          stitch_ticket: ticket,
          next_stitch_at: knex.fn.now(),
        })),
      )
      .onConflict('entity_ref')
      .merge(['stitch_ticket']);
  }
}

/** `seconds` before now on the database's clock, comparable with the catalog's `knex.fn.now()` columns. */
function secondsAgo(knex: Knex, seconds: number): Knex.Raw {
  return knex.client.dialect === 'sqlite3'
    ? knex.raw(`datetime('now', ?)`, [`-${seconds} seconds`])
    : knex.raw('now() - cast(? as interval)', [`${seconds} seconds`]);
}

function chunks<T>(items: T[], size = 100): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(items.slice(i, i + size));
  return out;
}

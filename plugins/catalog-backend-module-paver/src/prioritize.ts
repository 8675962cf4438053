import type { Knex } from 'knex';

/** At most this many refs per request: a task names its location and its entity, nothing more. */
export const MAX_PRIORITIZE_REFS = 20;

/**
 * Earlier than any row the catalog writes (it sets `now` or `now + interval`), in the format
 * SQLite's CURRENT_TIMESTAMP stores, which PostgreSQL and MySQL also accept.
 */
const FRONT_OF_QUEUE = '1970-01-01 00:00:00';

/**
 * Moves the refresh_state rows of the given entity refs to the front of the processing queue: the
 * loop takes rows with `next_update_at <= now` in `next_update_at` order, so a row set to the
 * epoch is taken on its next tick, ahead of any backlog of overdue rows. Refs without a row are
 * ignored. Returns the refs (as stored) that were prioritized. Parameterized queries only.
 */
export async function prioritizeEntities(knex: Knex, entityRefs: string[]): Promise<string[]> {
  if (entityRefs.length === 0) return [];
  if (entityRefs.length > MAX_PRIORITIZE_REFS) {
    throw new Error(`at most ${MAX_PRIORITIZE_REFS} entity refs per request`);
  }
  // The catalog stores refs as stringified (case kept) and matches refresh requests lowercased.
  const candidates = [...new Set(entityRefs.flatMap(ref => [ref, ref.toLocaleLowerCase('en-US')]))];
  const rows: { entity_ref: string }[] = await knex('refresh_state').select('entity_ref').whereIn('entity_ref', candidates);
  const found = rows.map(r => r.entity_ref);
  if (found.length > 0) {
    await knex('refresh_state').whereIn('entity_ref', found).update({ next_update_at: FRONT_OF_QUEUE });
  }
  return found;
}

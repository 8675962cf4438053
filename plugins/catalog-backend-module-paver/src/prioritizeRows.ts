import { InputError } from '@backstage/errors';
import { MAX_PRIORITIZE_REFS } from '@paver/plugin-paver-common';
import type { Knex } from 'knex';

/**
 * Earlier than any row the catalog writes (it sets `now` or `now + interval`), in the format
 * SQLite's CURRENT_TIMESTAMP stores, which PostgreSQL and MySQL also accept.
 */
const FRONT_OF_QUEUE = '1970-01-01 00:00:00';

function candidatesOf(entityRefs: string[]): string[] {
  if (entityRefs.length > MAX_PRIORITIZE_REFS) {
    throw new InputError(
      `at most ${MAX_PRIORITIZE_REFS} entity refs per request`,
    );
  }
  // The catalog stores refs as stringified (case kept) and matches refresh requests lowercased.
  return [
    ...new Set(
      entityRefs.flatMap(ref => [ref, ref.toLocaleLowerCase('en-US')]),
    ),
  ];
}

/**
 * Moves the refresh_state rows of the given entity refs to the front of the processing queue: the
 * loop takes rows with `next_update_at <= now` in `next_update_at` order, so a row set to the
 * epoch is taken on its next tick, ahead of any backlog of overdue rows. Refs without a row are
 * ignored. Returns the refs (as stored) that were prioritized. Parameterized queries only.
 */
export async function prioritizeEntities(
  knex: Knex,
  entityRefs: string[],
): Promise<string[]> {
  if (entityRefs.length === 0) return [];
  const candidates = candidatesOf(entityRefs);
  const rows: { entity_ref: string }[] = await knex('refresh_state')
    .select('entity_ref')
    .whereIn('entity_ref', candidates);
  const found = rows.map(r => r.entity_ref);
  if (found.length > 0) {
    await knex('refresh_state')
      .whereIn('entity_ref', found)
      .update({ next_update_at: FRONT_OF_QUEUE });
  }
  return found;
}

/**
 * Moves the stitch_queue rows of the given entity refs to the front of the stitching queue. After
 * processing, an entity is only served (final_entities, the by-name and entities APIs) once the
 * stitcher has taken its stitch_queue row, and the stitcher takes due rows in `next_stitch_at`
 * order, a few at a time: in a backlog every processed fill entity is queued there too, and
 * stitching is slower than processing, so a new entity's row waited 10–15 s behind hundreds of
 * others (bench/create/RESULTS.md, 2026-11-21 15:50). Only rows the stitcher has not claimed yet
 * (claiming pushes `next_stitch_at` into the future) and whose entity has been processed (so the
 * stitch has something to write) are moved. Returns the refs (as stored) that were moved.
 */
export async function prioritizeStitching(
  knex: Knex,
  entityRefs: string[],
): Promise<string[]> {
  if (entityRefs.length === 0) return [];
  const candidates = candidatesOf(entityRefs);
  const rows: { entity_ref: string }[] = await knex('stitch_queue')
    .join(
      'refresh_state',
      'refresh_state.entity_ref',
      'stitch_queue.entity_ref',
    )
    .select('stitch_queue.entity_ref')
    .whereIn('stitch_queue.entity_ref', candidates)
    .whereNotNull('refresh_state.processed_entity')
    .where('stitch_queue.next_stitch_at', '<=', knex.fn.now());
  const found = rows.map(r => r.entity_ref);
  if (found.length > 0) {
    await knex('stitch_queue')
      .whereIn('entity_ref', found)
      .where('next_stitch_at', '<=', knex.fn.now())
      .update({ next_stitch_at: FRONT_OF_QUEUE });
  }
  return found;
}

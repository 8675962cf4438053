import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { emptyDatabase, type ThrowawayPostgres } from '@paver/test-utils';
import type { Knex } from 'knex';

// The catalog's schema and its own stitching code, as plugin-catalog-backend 4.0.0 ships them: the
// migrations the plugin runs at start-up, and the functions its processing engine and stitcher
// call (internal files of its dist/, required by path; the test fails loudly if a release moves
// them).

const CATALOG_DIST = path.dirname(
  require.resolve('@backstage/plugin-catalog-backend'),
);
const CATALOG_MIGRATIONS = path.resolve(CATALOG_DIST, '../migrations');
const STITCHER = path.join(CATALOG_DIST, 'database/operations/stitcher');

type StitchResult = 'changed' | 'unchanged' | 'abandoned';
const { markForStitching } = require(path.join(
  STITCHER,
  'markForStitching.cjs.js',
)) as {
  markForStitching(options: {
    knex: Knex;
    entityRefs?: Iterable<string>;
  }): Promise<void>;
};
const { performStitching } = require(path.join(
  STITCHER,
  'performStitching.cjs.js',
)) as {
  performStitching(options: {
    knex: Knex;
    logger: unknown;
    entityRef: string;
    stitchTicket: string;
  }): Promise<StitchResult>;
};
const { getDeferredStitchableEntities } = require(path.join(
  STITCHER,
  'getDeferredStitchableEntities.cjs.js',
)) as {
  getDeferredStitchableEntities(options: {
    knex: Knex;
    batchSize: number;
    stitchTimeout: { seconds: number };
  }): Promise<{ entityRef: string; stitchTicket: string }[]>;
};

const quietLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => quietLogger,
};

/** Runs plugin-catalog-backend's own migrations on `db`, as the catalog does at start-up. */
export async function migrateCatalog(db: Knex): Promise<Knex> {
  await db.migrate.latest({ directory: CATALOG_MIGRATIONS });
  return db;
}

/** A fresh database (@paver/test-utils' emptyDatabase) with the catalog's tables. */
export async function catalogDatabase(
  pg: ThrowawayPostgres | undefined,
  name: string,
): Promise<Knex> {
  return migrateCatalog(await emptyDatabase(pg, name));
}

/** `seconds` before now on the database's clock (negative: after now). */
export function ago(db: Knex, seconds: number): Knex.Raw {
  return db.client.dialect === 'postgresql'
    ? db.raw('now() - cast(? as interval)', [`${seconds} seconds`])
    : db.raw(`datetime('now', ?)`, [`${-seconds} seconds`]);
}

export const refOf = (name: string) => `component:default/${name}`;

/**
 * A Component whose processing committed its result (refresh_state with processed_entity), as the
 * engine's updateProcessedEntity leaves it; with `processed: false`, discovered but never processed.
 */
export async function insertProcessed(
  db: Knex,
  name: string,
  options: { processed?: boolean } = {},
): Promise<string> {
  const entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: {
      type: 'service',
      lifecycle: 'experimental',
      owner: 'group:default/payments',
    },
  };
  const id = randomUUID();
  await db('refresh_state').insert({
    entity_id: id,
    entity_ref: refOf(name),
    unprocessed_entity: JSON.stringify(entity),
    processed_entity:
      options.processed === false
        ? null
        : JSON.stringify({
            ...entity,
            metadata: { ...entity.metadata, uid: id },
          }),
    result_hash: `result-of-${name}`,
    errors: '[]',
    next_update_at: ago(db, -3600),
    last_discovery_at: db.fn.now(),
  });
  return id;
}

/** The engine's stitch request after processing (the catalog's own markForStitching). */
export async function requestStitch(db: Knex, names: string[]): Promise<void> {
  await markForStitching({ knex: db, entityRefs: names.map(refOf) });
}

/**
 * What the catalog's DefaultStitcher does until its queue is empty: claim the due rows
 * (getDeferredStitchableEntities, 60 s stitch timeout) and stitch each with its ticket. Returns
 * each stitched ref's result.
 */
export async function runStitcher(
  db: Knex,
): Promise<Record<string, StitchResult>> {
  const results: Record<string, StitchResult> = {};
  for (;;) {
    const items = await getDeferredStitchableEntities({
      knex: db,
      batchSize: 50,
      stitchTimeout: { seconds: 60 },
    });
    if (items.length === 0) return results;
    for (const item of items) {
      results[item.entityRef] = await performStitching({
        knex: db,
        logger: quietLogger,
        ...item,
      });
    }
  }
}

export interface EntityState {
  processed: boolean;
  /** final_entities row: its hash and whether final_entity is set; null without a row. */
  final: { hash: string; entity: boolean } | null;
  searchRows: number;
  /** stitch_queue row: its ticket and whether it is due; null without a row. */
  queued: { ticket: string; due: boolean } | null;
}

/** What the catalog's tables hold for a Component, by name. */
export async function stateOf(db: Knex, name: string): Promise<EntityState> {
  const rs = await db('refresh_state').where('entity_ref', refOf(name)).first();
  const fe = rs
    ? await db('final_entities').where('entity_id', rs.entity_id).first()
    : undefined;
  const search = rs
    ? await db('search').where('entity_id', rs.entity_id).count({ n: '*' })
    : [{ n: 0 }];
  const sq = await db('stitch_queue')
    .where('entity_ref', refOf(name))
    .select(
      'stitch_ticket',
      db.raw(
        'case when next_stitch_at <= current_timestamp then 1 else 0 end as due',
      ),
    )
    .first();
  return {
    processed: Boolean(rs?.processed_entity),
    final: fe ? { hash: fe.hash, entity: fe.final_entity !== null } : null,
    searchRows: Number(search[0].n),
    queued: sq ? { ticket: sq.stitch_ticket, due: Number(sq.due) === 1 } : null,
  };
}

/**
 * Names the catalog lists under `kind=component` (its entities-by-query filter reads `search`)
 * and names it serves by ref (`final_entities`), as the catalog API would answer them.
 */
export async function served(
  db: Knex,
): Promise<{ listed: string[]; byName: string[] }> {
  const listed = await db('search')
    .join('final_entities', 'final_entities.entity_id', 'search.entity_id')
    .where({ 'search.key': 'kind', 'search.value': 'component' })
    .select('final_entities.entity_ref');
  const byName = await db('final_entities')
    .whereNotNull('final_entity')
    .select('entity_ref');
  const names = (rows: { entity_ref: string }[]) =>
    rows.map(r => r.entity_ref.replace('component:default/', '')).sort();
  return { listed: names(listed), byName: names(byName) };
}

// The catalog's own tables, read directly in PostgreSQL: how many entities are known, processed,
// failed, stitched and still waiting to be stitched. Read-only; one small query a poll.
import { Client } from 'pg';
import type { ThrowawayPostgres } from '@paver/test-utils';

/** The catalog's database under Backstage's default `pluginDivisionMode: database`. */
export const CATALOG_DATABASE = 'backstage_plugin_catalog';

export interface CatalogCounts {
  /** Rows of refresh_state: every entity the catalog knows, processed or not. */
  known: number;
  /** refresh_state rows never processed successfully (processed_entity is null). */
  unprocessed: number;
  /** refresh_state rows whose last processing had errors. */
  errored: number;
  /** final_entities rows with an entity: served by the catalog API. */
  stitched: number;
  /** stitch_queue rows: entities waiting for (or being) stitched. */
  stitchQueue: number;
  /** refresh_state rows due for processing now (next_update_at in the past). */
  due: number;
}

export interface CatalogDb {
  counts(): Promise<CatalogCounts>;
  /** A few refresh_state errors, for the log when entities fail. */
  sampleErrors(limit?: number): Promise<string[]>;
  close(): Promise<void>;
}

export async function connectCatalogDb(
  pg: ThrowawayPostgres,
): Promise<CatalogDb> {
  const client = new Client({
    host: pg.host,
    port: pg.port,
    user: pg.user,
    password: pg.password,
    database: CATALOG_DATABASE,
  });
  // The backend's shutdown may end the connection first; the next query (if any) reports it.
  client.on('error', () => undefined);
  await client.connect();
  return {
    async counts() {
      const { rows } = await client.query(`
        select
          (select count(*) from refresh_state) as known,
          (select count(*) from refresh_state where processed_entity is null) as unprocessed,
          (select count(*) from refresh_state
             where errors is not null and errors <> '' and errors <> '[]') as errored,
          (select count(*) from final_entities where final_entity is not null) as stitched,
          (select count(*) from stitch_queue) as stitch_queue,
          (select count(*) from refresh_state where next_update_at <= now()) as due`);
      const r = rows[0];
      return {
        known: Number(r.known),
        unprocessed: Number(r.unprocessed),
        errored: Number(r.errored),
        stitched: Number(r.stitched),
        stitchQueue: Number(r.stitch_queue),
        due: Number(r.due),
      };
    },
    async sampleErrors(limit = 5) {
      const { rows } = await client.query(
        `select entity_ref, errors from refresh_state
           where errors is not null and errors <> '' and errors <> '[]' limit $1`,
        [limit],
      );
      return rows.map(
        r => `${r.entity_ref}: ${String(r.errors).slice(0, 300)}`,
      );
    },
    async close() {
      await client.end();
    },
  };
}

import knexFactory, { type Knex } from 'knex';
import { startPostgres, type ThrowawayPostgres } from './postgres';

// Database tests run on both engines Paver supports: PostgreSQL (production, a throwaway cluster)
// and SQLite (the embedded default, in memory).

export type Engine = 'PostgreSQL' | 'SQLite';

/** The engines the database tests run on, for `describe.each(ENGINES)`. */
export const ENGINES = ['PostgreSQL', 'SQLite'] as const;

function pgConnection(pg: ThrowawayPostgres, database: string) {
  return {
    host: pg.host,
    port: pg.port,
    user: pg.user,
    password: pg.password,
    database,
  };
}

/** A fresh, empty database: its own database on the throwaway PostgreSQL, or SQLite in memory. */
export async function emptyDatabase(
  pg: ThrowawayPostgres | undefined,
  name: string,
): Promise<Knex> {
  if (!pg)
    return knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
  const admin = knexFactory({
    client: 'pg',
    connection: pgConnection(pg, 'postgres'),
  });
  try {
    await admin.raw('create database ??', [name]);
  } finally {
    await admin.destroy();
  }
  return knexFactory({
    client: 'pg',
    connection: pgConnection(pg, name),
    pool: { min: 0, max: 4 },
  });
}

/**
 * Fresh databases on `engine` for the tests of the calling `describe`: on PostgreSQL it starts a
 * throwaway server before them; after them it destroys every client it handed out and stops the
 * server. Database names are `${prefix}_1`, `${prefix}_2`, ...
 */
export function testDatabases(engine: Engine, prefix = 'test') {
  let pg: ThrowawayPostgres | undefined;
  const clients: Knex[] = [];
  let databases = 0;

  beforeAll(async () => {
    if (engine === 'PostgreSQL') pg = await startPostgres();
  });
  afterAll(async () => {
    await Promise.all(clients.map(c => c.destroy()));
    await pg?.stop();
  });

  const kept = (db: Knex) => {
    clients.push(db);
    return db;
  };

  /** A fresh, empty database (on SQLite, a new in-memory one). */
  const database = async (): Promise<Knex> =>
    kept(await emptyDatabase(pg, `${prefix}_${++databases}`));

  /**
   * One fresh database reached through two separate connection pools, as two replicas (two
   * processes) would reach it. SQLite is one process's embedded database: the same client twice.
   */
  const twoPools = async (): Promise<[Knex, Knex]> => {
    const name = `${prefix}_${++databases}`;
    const first = kept(await emptyDatabase(pg, name));
    if (!pg) return [first, first];
    const second = kept(
      knexFactory({
        client: 'pg',
        connection: pgConnection(pg, name),
        pool: { min: 0, max: 4 },
      }),
    );
    return [first, second];
  };

  return { database, twoPools };
}

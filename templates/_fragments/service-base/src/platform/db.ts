import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { HttpError } from './http.js';
import { withSpan } from './tracing.js';

/** What domain code sees of the database. */
export interface Db {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs `fn` in one transaction; it commits when `fn` resolves and rolls back when it throws. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
}

/** The service's pool: a Db plus what the platform layer needs. */
export interface Database extends Db {
  readonly schema: string;
  /** Resolves when the database answers; throws otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

// Connection-level failures: the database is down or unreachable, not the query being wrong.
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'EHOSTUNREACH', '57P01', '57P02', '57P03']);
const UNAVAILABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i;

/** True when `error` means the database cannot be reached (answer 503), not a bad query. */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code ?? '';
  return UNAVAILABLE_CODES.has(code) || code.startsWith('08') || UNAVAILABLE_MESSAGES.test(error.message);
}

// The cause stays on the error for logs and start-up messages; clients see only the 503.
function translate(error: unknown): unknown {
  if (!isUnavailable(error)) return error;
  const unavailable = new HttpError(503, 'database_unavailable', 'the database is unavailable; retry later');
  return Object.assign(unavailable, { cause: error });
}

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

function queryWith(client: Queryable) {
  return async <T>(sql: string, params: unknown[] = []): Promise<T[]> =>
    withSpan('db.query', { 'db.system': 'postgresql', 'db.statement': sql.slice(0, 200) }, async () => {
      try {
        const result = await client.query(sql, params);
        return result.rows as T[];
      } catch (error) {
        throw translate(error);
      }
    });
}

function transactionDb(client: pg.PoolClient): Db {
  const db: Db = {
    query: queryWith(client),
    // Already inside a transaction: nested calls join it.
    transaction: fn => fn(db),
  };
  return db;
}

export function createDatabase(options: { connectionString: string; schema: string; onError?: (e: Error) => void }): Database {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) {
    throw new Error(`schema name ${JSON.stringify(options.schema)} must match ^[a-z_][a-z0-9_]{0,62}$`);
  }
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    // Unqualified table names resolve to the service's own schema; public stays for extensions.
    options: `-c search_path=${options.schema},public`,
    max: 10,
    connectionTimeoutMillis: 5000,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', error => options.onError?.(error));
  return {
    schema: options.schema,
    query: queryWith(pool),
    async transaction(fn) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw translate(error);
      }
      // The pool's 'error' listener covers idle clients only. A connection that drops while
      // checked out emits 'error' on the client itself: unheard, that event kills the process.
      let broken: Error | undefined;
      const onError = (error: Error) => {
        broken = error;
        options.onError?.(error);
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn(transactionDb(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw translate(error);
      } finally {
        client.off('error', onError);
        // A broken connection is discarded instead of going back to the pool.
        client.release(broken);
      }
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    close: () => pool.end(),
  };
}

/** `migrations/` at the repository root, from src/platform (tests) and dist/platform (built). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

const MIGRATION_NAME = /^(\d{3})_[a-z0-9_]+\.sql$/;

/**
 * Applies `NNN_name.sql` files in order, each once, in one transaction under an advisory lock so
 * replicas starting together do not race. A changed, already-applied file is an error.
 */
export async function migrate(db: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = readMigrations(dir);
  return db.transaction(async tx => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`migrate:${db.schema}`]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${db.schema}`);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${db.schema}.schema_migrations (
         name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const rows = await tx.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM ${db.schema}.schema_migrations`);
    const applied = new Map(rows.map(r => [r.name, r.checksum]));
    const newlyApplied: string[] = [];
    for (const file of files) {
      const previous = applied.get(file.name);
      if (previous !== undefined && previous !== file.checksum) {
        throw new Error(`migrations/${file.name} was changed after it was applied; add a new migration instead`);
      }
      if (previous !== undefined) continue;
      await tx.query(file.sql);
      await tx.query(`INSERT INTO ${db.schema}.schema_migrations (name, checksum) VALUES ($1, $2)`, [file.name, file.checksum]);
      newlyApplied.push(file.name);
    }
    return newlyApplied;
  });
}

function readMigrations(dir: string): { name: string; sql: string; checksum: string }[] {
  if (!existsSync(dir)) return [];
  const names = readdirSync(dir).filter(n => n.endsWith('.sql')).sort();
  const seen = new Set<string>();
  return names.map(name => {
    const match = MIGRATION_NAME.exec(name);
    if (!match) throw new Error(`migrations/${name}: migration files must be named NNN_name.sql (lower case)`);
    if (seen.has(match[1])) throw new Error(`migrations/${name}: another migration already uses number ${match[1]}`);
    seen.add(match[1]);
    const sql = readFileSync(join(dir, name), 'utf8');
    return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
}

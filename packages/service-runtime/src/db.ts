import pg from 'pg';
import { HttpError } from './errors.js';
import { withSpan } from './tracing.js';

/** What domain code sees of the database. */
export interface Db {
  query<T = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<T[]>;
  /** Runs `fn` in one transaction; it commits when `fn` resolves and rolls back when it throws. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
}

/** The service's pool: a Db plus what the runtime needs. */
export interface Database extends Db {
  readonly schema: string;
  /** Resolves when the database answers; throws otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  connectionString: string;
  schema: string;
  /** Connections the pool keeps at most. @default 10 */
  poolSize?: number;
  /** The longest a statement may run, in ms; 0 turns the limit off. @default 10000 */
  statementTimeoutMs?: number;
  /** Told when an idle or checked-out connection drops (the next query reconnects). */
  onError?: (error: Error) => void;
}

// Connection-level failures: the database is down or unreachable, not the query being wrong.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
  'EHOSTUNREACH',
  '57P01',
  '57P02',
  '57P03',
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i;
const STATEMENT_TIMEOUT = '57014';

/** True when `error` means the database cannot be reached (answer 503), not a bad query. */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code ?? '';
  return (
    UNAVAILABLE_CODES.has(code) ||
    code.startsWith('08') ||
    UNAVAILABLE_MESSAGES.test(error.message)
  );
}

// The cause stays on the error for logs and start-up messages; clients see only the 503.
function translate(error: unknown): unknown {
  if ((error as { code?: string } | undefined)?.code === STATEMENT_TIMEOUT) {
    const timeout = new HttpError(
      503,
      'database_timeout',
      'the database did not answer in time; retry later',
    );
    return Object.assign(timeout, { cause: error });
  }
  if (!isUnavailable(error)) return error;
  const unavailable = new HttpError(
    503,
    'database_unavailable',
    'the database is unavailable; retry later',
  );
  return Object.assign(unavailable, { cause: error });
}

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

function queryWith(client: Queryable) {
  return async <T>(sql: string, params: unknown[] = []): Promise<T[]> =>
    withSpan(
      'db.query',
      { 'db.system.name': 'postgresql', 'db.query.text': sql.slice(0, 200) },
      async () => {
        try {
          const result = await client.query(sql, params);
          return result.rows as T[];
        } catch (error) {
          throw translate(error);
        }
      },
    );
}

function transactionDb(client: pg.PoolClient): Db {
  const db: Db = {
    query: queryWith(client),
    // Already inside a transaction: nested calls join it.
    transaction: fn => fn(db),
  };
  return db;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function createDatabase(options: DatabaseOptions): Database {
  if (!SCHEMA_NAME.test(options.schema)) {
    throw new Error(
      `schema name ${JSON.stringify(options.schema)} must match ${
        SCHEMA_NAME.source
      }`,
    );
  }
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    // Unqualified table names resolve to the service's own schema; public stays for extensions.
    options: `-c search_path=${options.schema},public`,
    max: options.poolSize ?? 10,
    statement_timeout: options.statementTimeoutMs ?? 10_000,
    connectionTimeoutMillis: 5000,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', error => options.onError?.(error));
  return {
    schema: options.schema,
    query: queryWith(pool),
    transaction: fn => inTransaction(pool, fn, options.onError),
    async ping() {
      await pool.query('SELECT 1');
    },
    close: () => pool.end(),
  };
}

async function inTransaction<T>(
  pool: pg.Pool,
  fn: (tx: Db) => Promise<T>,
  onError?: (error: Error) => void,
): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw translate(error);
  }
  // The pool's 'error' listener covers idle clients only. A connection that drops while checked
  // out emits 'error' on the client itself: unheard, that event kills the process.
  let broken: Error | undefined;
  const onClientError = (error: Error) => {
    broken = error;
    onError?.(error);
  };
  client.on('error', onClientError);
  try {
    await client.query('BEGIN');
    const result = await fn(transactionDb(client));
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw translate(error);
  } finally {
    client.off('error', onClientError);
    // A broken connection is discarded instead of going back to the pool.
    client.release(broken);
  }
}

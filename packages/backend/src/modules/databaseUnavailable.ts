import type { Config } from '@backstage/config';
import { ServiceUnavailableError } from '@backstage/errors';

/**
 * PostgreSQL SQLSTATEs that mean "the server cannot serve you right now", not "your query is
 * wrong": class 08 (connection exception), 53300 too_many_connections, 57P01 admin_shutdown,
 * 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up or shutting down).
 */
const UNAVAILABLE_SQLSTATE = /^(08\d{3}|53300|57P0[123])$/;

/**
 * node-postgres and knex messages for a connection that died or never came, without an SQLSTATE.
 * Knex prefixes the SQL (`select ... - Connection terminated unexpectedly`), hence "contains".
 */
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'Knex: Timeout acquiring a connection',
];

/** Socket errors that only mean "database down" when they name the database's own port. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

const DEFAULT_PG_PORT = 5432;

/** Where the backend's PostgreSQL listens, read from `backend.database` (base and per plugin). */
export interface DatabaseEndpoints {
  ports: ReadonlySet<number>;
}

/** The ports of every PostgreSQL connection in `backend.database`; empty for SQLite. */
export function readDatabaseEndpoints(config: Config): DatabaseEndpoints {
  const database = config.getOptionalConfig('backend.database');
  const ports = new Set<number>();
  if (!database) return { ports };
  const baseClient = database.getOptionalString('client');
  const add = (client: string | undefined, connection: unknown) => {
    if (client !== 'pg') return;
    const port = portOf(connection);
    if (port !== undefined) ports.add(port);
  };
  add(baseClient, database.getOptional('connection'));
  const plugins = database.getOptionalConfig('plugin');
  for (const pluginId of plugins?.keys() ?? []) {
    const plugin = plugins!.getConfig(pluginId);
    add(
      plugin.getOptionalString('client') ?? baseClient,
      plugin.getOptional('connection') ?? database.getOptional('connection'),
    );
  }
  return { ports };
}

function portOf(connection: unknown): number | undefined {
  if (typeof connection === 'string') {
    try {
      return Number(new URL(connection).port) || DEFAULT_PG_PORT;
    } catch {
      return undefined;
    }
  }
  if (connection && typeof connection === 'object') {
    const { port, host } = connection as { port?: unknown; host?: unknown };
    // A unix socket folder has no TCP port to recognise.
    if (typeof host === 'string' && host.startsWith('/')) return undefined;
    const n = Number(port ?? DEFAULT_PG_PORT);
    return Number.isInteger(n) && n > 0 ? n : undefined;
  }
  return DEFAULT_PG_PORT;
}

/**
 * Why `error` (or one of its causes) says the database is unreachable, as a short reason safe to
 * show a client (an SQLSTATE, a socket code or the driver's phrase; never the SQL); `undefined`
 * when it is any other error.
 */
export function databaseUnavailableReason(
  error: unknown,
  endpoints: DatabaseEndpoints,
): string | undefined {
  let current: unknown = error;
  for (
    let depth = 0;
    depth < 5 && current && typeof current === 'object';
    depth++
  ) {
    const e = current as {
      code?: unknown;
      message?: unknown;
      name?: unknown;
      port?: unknown;
      cause?: unknown;
    };
    const code = typeof e.code === 'string' ? e.code : undefined;
    const message = typeof e.message === 'string' ? e.message : '';
    if (code && UNAVAILABLE_SQLSTATE.test(code))
      return `PostgreSQL error ${code}`;
    if (e.name === 'KnexTimeoutError')
      return 'timed out acquiring a connection';
    const phrase = UNAVAILABLE_MESSAGES.find(m => message.includes(m));
    if (phrase) return phrase;
    if (
      code &&
      SOCKET_CODES.has(code) &&
      typeof e.port === 'number' &&
      endpoints.ports.has(e.port)
    )
      return code;
    current = e.cause;
  }
  return undefined;
}

/** Seconds a client should wait before retrying; a PostgreSQL restart or failover takes about this long. */
export const RETRY_AFTER_SECONDS = 5;

interface RequestLike {
  method: string;
  originalUrl?: string;
  url: string;
}
interface ResponseLike {
  headersSent: boolean;
  setHeader(name: string, value: string): unknown;
}
/** Express's error-handler shape (four parameters: Express tells error handlers apart by arity). */
export type ErrorHandler = (
  error: unknown,
  req: RequestLike,
  res: ResponseLike,
  next: (error?: unknown) => void,
) => void;

export interface DatabaseUnavailableHandlerOptions {
  pluginId: string;
  endpoints: DatabaseEndpoints;
  /** Receives the original error, which may carry SQL; the response never does. */
  onUnavailable?: (reason: string, error: unknown, req: RequestLike) => void;
}

/**
 * An Express error handler for a plugin's routes: a database-unavailable error becomes a
 * `ServiceUnavailableError` (Backstage's error handler answers 503) naming the plugin's database,
 * with `Retry-After`; every other error passes through untouched.
 */
export function createDatabaseUnavailableHandler(
  options: DatabaseUnavailableHandlerOptions,
): ErrorHandler {
  return (error, req, res, next) => {
    const reason = databaseUnavailableReason(error, options.endpoints);
    if (reason === undefined || res.headersSent) {
      next(error);
      return;
    }
    options.onUnavailable?.(reason, error, req);
    res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    next(
      new ServiceUnavailableError(
        `The ${options.pluginId} database is unavailable (${reason}); try again in a few seconds`,
      ),
    );
  };
}

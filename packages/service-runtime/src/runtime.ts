import { fileURLToPath } from 'node:url';
import { loadRuntimeConfig, type Env, type RuntimeConfig } from './config.js';
import { createDatabase, type Database } from './db.js';
import { errorMessage } from './errors.js';
import { createLogger, type Logger } from './logger.js';
import { ServiceMetrics } from './metrics.js';
import { migrate } from './migrations.js';
import { initTracing, type SpanProcessor, type Tracing } from './tracing.js';

/** What a process on the runtime is: its name and the repository root holding `migrations/`. */
export interface ProcessIdentity {
  /** The default schema, the log `service` field and the trace resource. */
  name: string;
  /** The repository root (`new URL('..', import.meta.url)` from src/ or dist/). */
  root: URL;
  /** What logs and traces call the process, when not `name` (a worker: `<name>-worker`). */
  serviceName?: string;
}

export interface StartOptions {
  /** Where log lines go. @default process.stdout */
  writeLog?: (line: string) => void;
  /** Extra span processors (tests collect spans with one). */
  spanProcessors?: SpanProcessor[];
}

/** A started service or worker, as its tests and its entry point hold it. */
export interface RunningProcess {
  /** Where the process answers HTTP (a worker: its probes). */
  readonly port: number;
  readonly db: Database;
  readonly config: RuntimeConfig;
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  /** Fails readiness, waits SHUTDOWN_DELAY_MS, drains, closes the pool. */
  stop(): Promise<void>;
}

/** What every process on the runtime has once it started: settings, logs, traces, a pool. */
export interface Runtime {
  config: RuntimeConfig;
  logger: Logger;
  db: Database;
  metrics: ServiceMetrics;
  tracing: Tracing;
}

const withSlash = (url: URL) =>
  url.href.endsWith('/') ? url : new URL(`${url.href}/`);
export const rootFile = (identity: ProcessIdentity, file: string) =>
  fileURLToPath(new URL(file, withSlash(identity.root)));
export const migrationsDir = (identity: ProcessIdentity) =>
  rootFile(identity, 'migrations/');

/**
 * Reads the settings, installs tracing and the logger and opens the pool (lazily: nothing
 * connects until the first query). A bad setting throws before anything is opened.
 */
export async function openRuntime(
  identity: ProcessIdentity,
  env: Env,
  options: StartOptions = {},
): Promise<Runtime> {
  const config = loadRuntimeConfig(identity.name, env, identity.serviceName);
  const tracing = initTracing({
    serviceName: config.serviceName,
    exporter: config.tracesExporter,
    otlpEndpoint: config.otlpTracesEndpoint,
    spanProcessors: options.spanProcessors,
  });
  const logger = createLogger({
    service: config.serviceName,
    level: config.logLevel,
    write: options.writeLog,
  });
  const db = createDatabase({
    connectionString: config.databaseUrl,
    schema: config.databaseSchema,
    poolSize: config.databasePoolSize,
    statementTimeoutMs: config.databaseStatementTimeoutMs,
    onError: error =>
      logger.warn({ reason: errorMessage(error) }, 'database connection lost'),
  });
  return { config, logger, db, metrics: new ServiceMetrics(), tracing };
}

/** Applies the process's migrations (replicas starting together take turns). */
export async function applyMigrations(
  identity: ProcessIdentity,
  runtime: Runtime,
): Promise<void> {
  const applied = await migrate(runtime.db, migrationsDir(identity));
  if (applied.length > 0) {
    runtime.logger.info(
      { migrations: applied.join(', ') },
      'migrations applied',
    );
  }
}

/**
 * What `node dist/<entry>.js` does around `start`: run it with the environment, stop on SIGTERM
 * or SIGINT, and exit non-zero with the reason as the last log line when start-up fails, so the
 * orchestrator shows why.
 */
export async function runUntilSignalled(
  start: () => Promise<{ logger: Logger; stop(): Promise<void> }>,
): Promise<void> {
  let running: { logger: Logger; stop(): Promise<void> };
  try {
    running = await start();
  } catch (error) {
    fatal('startup failed', error);
  }
  process.on('uncaughtException', error => fatal('uncaught exception', error));
  process.on('unhandledRejection', error =>
    fatal('unhandled rejection', error),
  );
  const shutdown = (signal: string) => {
    running.logger.info({ signal }, 'stopping');
    running.stop().then(
      () => process.exit(0),
      error => fatal('shutdown failed', error),
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

function fatal(msg: string, error: unknown): never {
  const cause =
    error instanceof Error && error.cause instanceof Error
      ? ` (${error.cause.message})`
      : '';
  const reason = `${errorMessage(error)}${cause}`;
  process.stderr.write(
    `${JSON.stringify({
      time: new Date().toISOString(),
      level: 'error',
      msg,
      reason,
    })}\n`,
  );
  process.exit(1);
}

import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { loadRuntimeConfig, type Env, type RuntimeConfig } from './config.js';
import { createDatabase, type Database, type Db } from './db.js';
import { errorMessage } from './errors.js';
import type { Handlers } from './http.js';
import { createLogger, type Logger } from './logger.js';
import { ServiceMetrics } from './metrics.js';
import { migrate } from './migrations.js';
import { checkContract, readOpenApi, type OpenApiDocument } from './openapi.js';
import { buildServer } from './server.js';
import { initTracing, type SpanProcessor, type Tracing } from './tracing.js';

/** What a golden path's handlers are built from. */
export interface ServiceDeps {
  db: Db;
  config: RuntimeConfig;
  logger: Logger;
  metrics: ServiceMetrics;
}

/** A service as the runtime runs it: its name, its files and its handlers. */
export interface ServiceDefinition {
  /** The service's name: the default schema, the log `service` field and the trace resource. */
  name: string;
  /** The repository root, holding `openapi.yaml` and `migrations/` (`new URL('..', import.meta.url)`). */
  root: URL;
  /** One handler per operationId of openapi.yaml, healthz, readyz and metrics aside. */
  createHandlers(deps: ServiceDeps): Handlers;
}

export interface StartOptions {
  /** Where log lines go. @default process.stdout */
  writeLog?: (line: string) => void;
  /** Extra span processors (tests collect spans with one). */
  spanProcessors?: SpanProcessor[];
}

export interface RunningService {
  readonly port: number;
  readonly db: Database;
  readonly config: RuntimeConfig;
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  /** Fails readiness, waits SHUTDOWN_DELAY_MS, drains in-flight requests, closes the pool. */
  stop(): Promise<void>;
}

export const defineService = (definition: ServiceDefinition) => definition;

export const openApiFile = (definition: ServiceDefinition) =>
  fileURLToPath(new URL('openapi.yaml', withSlash(definition.root)));
export const migrationsDir = (definition: ServiceDefinition) =>
  fileURLToPath(new URL('migrations/', withSlash(definition.root)));
const withSlash = (url: URL) =>
  url.href.endsWith('/') ? url : new URL(`${url.href}/`);

/**
 * Starts the service: tracing, the database (migrated), metrics, then the HTTP server with every
 * operation of openapi.yaml. A contract mismatch, a bad setting or an unreachable database throws
 * before the port opens.
 */
export async function startService(
  definition: ServiceDefinition,
  env: Env,
  options: StartOptions = {},
): Promise<RunningService> {
  const config = loadRuntimeConfig(definition.name, env);
  const document = readOpenApi(openApiFile(definition));
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
  try {
    const applied = await migrate(db, migrationsDir(definition));
    if (applied.length > 0)
      logger.info({ migrations: applied.join(', ') }, 'migrations applied');
    const metrics = new ServiceMetrics();
    const state = { stopping: false };
    const server = await contractServer(definition, document, { db, config, logger, metrics }, state);
    await server.listen({ port: config.port, host: '::' });
    const port = (server.server.address() as { port: number }).port;
    logger.info({ port }, 'listening');
    return {
      port,
      db,
      config,
      logger,
      metrics,
      stop: () => stop(server, db, tracing, config, state),
    };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}

/**
 * The Fastify server for a definition, after the contract check: every operation of openapi.yaml
 * has a handler (the runtime's own included) and every schema compiles. Nothing listens yet.
 */
export async function contractServer(
  definition: ServiceDefinition,
  document: OpenApiDocument,
  deps: ServiceDeps & { db: Database },
  state = { stopping: false },
): Promise<FastifyInstance> {
  const handlers = {
    ...definition.createHandlers(deps),
    ...runtimeHandlers(deps.db, deps.metrics, deps.logger, state),
  };
  await checkContract(document, Object.keys(handlers));
  const server = await buildServer({
    document,
    handlers,
    logger: deps.logger,
    metrics: deps.metrics,
    bodyLimitBytes: deps.config.bodyLimitBytes,
  });
  await server.ready();
  return server;
}

function runtimeHandlers(
  db: Database,
  metrics: ServiceMetrics,
  logger: Logger,
  state: { stopping: boolean },
): Handlers {
  return {
    healthz: async () => ({ status: 200, body: { status: 'ok' } }),
    readyz: async () => {
      if (state.stopping)
        return {
          status: 503,
          body: { status: 'stopping', checks: { database: 'not checked' } },
        };
      try {
        await db.ping();
        return {
          status: 200,
          body: { status: 'ready', checks: { database: 'up' } },
        };
      } catch (error) {
        logger.warn({ reason: errorMessage(error) }, 'readiness check failed');
        return {
          status: 503,
          body: { status: 'not_ready', checks: { database: 'down' } },
        };
      }
    },
    metrics: async () => ({
      status: 200,
      body: await metrics.render(),
      headers: { 'content-type': metrics.contentType },
    }),
  };
}

async function stop(
  server: FastifyInstance,
  db: Database,
  tracing: Tracing,
  config: RuntimeConfig,
  state: { stopping: boolean },
): Promise<void> {
  if (state.stopping) return;
  // Readiness fails first, so the load balancer stops sending before the port closes.
  state.stopping = true;
  if (config.shutdownDelayMs > 0)
    await new Promise(resolve => setTimeout(resolve, config.shutdownDelayMs));
  const force = setTimeout(
    () => server.server.closeAllConnections(),
    config.shutdownGraceMs,
  );
  try {
    await server.close();
  } finally {
    clearTimeout(force);
  }
  await db.close();
  await tracing.shutdown();
}

/**
 * What `node dist/main.js` does: start from the environment, stop on SIGTERM or SIGINT, and exit
 * non-zero with the reason as the last log line when start-up fails, so the orchestrator shows why.
 */
export async function runService(definition: ServiceDefinition): Promise<void> {
  let service: RunningService;
  try {
    service = await startService(definition, process.env);
  } catch (error) {
    fatal('startup failed', error);
  }
  process.on('uncaughtException', error => fatal('uncaught exception', error));
  process.on('unhandledRejection', error =>
    fatal('unhandled rejection', error),
  );
  const shutdown = (signal: string) => {
    service.logger.info({ signal }, 'stopping');
    service.stop().then(
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

import type { FastifyInstance } from 'fastify';
import type { Env, RuntimeConfig } from './config.js';
import type { Database, Db } from './db.js';
import type { Handlers } from './http.js';
import type { Logger } from './logger.js';
import type { ServiceMetrics } from './metrics.js';
import { checkContract, readOpenApi, type OpenApiDocument } from './openapi.js';
import { listen, runtimeHandlers, type Lifecycle } from './probes.js';
import {
  applyMigrations,
  openRuntime,
  rootFile,
  runUntilSignalled,
  type ProcessIdentity,
  type RunningProcess,
  type StartOptions,
} from './runtime.js';
import { securityHandlers } from './bearer.js';
import { buildServer } from './server.js';
import type { WorkerLoop } from './worker.js';

/** What a golden path's handlers are built from. */
export interface ServiceDeps {
  db: Db;
  config: RuntimeConfig;
  logger: Logger;
  metrics: ServiceMetrics;
}

/** What background work gets: the deps, with the pool itself (a library's own migrations need it). */
export type BackgroundDeps = ServiceDeps & { db: Database };

/** A service as the runtime runs it: its name, its files and its handlers. */
export interface ServiceDefinition extends ProcessIdentity {
  /** One handler per operationId of openapi.yaml, healthz, readyz and metrics aside. */
  createHandlers(deps: ServiceDeps): Handlers;
  /**
   * Work that runs beside the HTTP server in the same process (an outbox relay, event
   * consumers): started once the migrations are applied, before the port opens; stopped while
   * the server drains. Once it is no longer alive `/healthz` fails, so the pod restarts.
   */
  background?(deps: BackgroundDeps): Promise<WorkerLoop>;
}

export type RunningService = RunningProcess;

export const defineService = (definition: ServiceDefinition) => definition;

export const openApiFile = (definition: ProcessIdentity) =>
  rootFile(definition, 'openapi.yaml');

/**
 * Starts the service: settings, tracing, the handlers (contract-checked), the database
 * (migrated), its background work, then the HTTP server with every operation of openapi.yaml.
 * A contract mismatch, a bad setting or an unreachable database throws before the port opens.
 */
export async function startService(
  definition: ServiceDefinition,
  env: Env,
  options: StartOptions = {},
): Promise<RunningService> {
  const document = readOpenApi(openApiFile(definition));
  const runtime = await openRuntime(definition, env, options);
  const { db } = runtime;
  const lifecycle: Lifecycle = { stopping: false };
  try {
    // Handlers are built and checked before the database is touched: a domain setting that is
    // wrong refuses the start without migrating anything.
    const server = await contractServer(
      definition,
      document,
      runtime,
      lifecycle,
    );
    await applyMigrations(definition, runtime);
    const background = await definition.background?.(runtime);
    return await listen(server, runtime, lifecycle, background);
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
  lifecycle: Lifecycle = { stopping: false },
): Promise<FastifyInstance> {
  const handlers = {
    ...definition.createHandlers(deps),
    ...runtimeHandlers(deps, lifecycle),
  };
  await checkContract(document, Object.keys(handlers));
  const server = await buildServer({
    document,
    handlers,
    logger: deps.logger,
    metrics: deps.metrics,
    bodyLimitBytes: deps.config.bodyLimitBytes,
    securityHandlers: securityHandlers(
      document,
      deps.config.env,
      definition.name,
    ),
  });
  await server.ready();
  return server;
}

/** What `node dist/main.js` does: start from the environment, stop gracefully on a signal. */
export function runService(definition: ServiceDefinition): Promise<void> {
  return runUntilSignalled(() => startService(definition, process.env));
}

import type { Env, RuntimeConfig } from './config.js';
import type { OpenApiDocument } from './openapi.js';
import { listen, runtimeHandlers, type Lifecycle } from './probes.js';
import {
  applyMigrations,
  openRuntime,
  runUntilSignalled,
  type ProcessIdentity,
  type RunningProcess,
  type StartOptions,
} from './runtime.js';
import { buildServer } from './server.js';
import type { BackgroundDeps } from './service.js';

/** A background loop (an outbox dispatcher, a consumer) as the runtime runs it. */
export interface WorkerLoop {
  /** Finishes the work in hand and stops taking more. */
  stop(): Promise<void>;
  /** False once the loop can no longer work (it died): `/healthz` fails so the pod restarts. */
  alive?(): boolean;
}

export interface WorkerDefinition extends ProcessIdentity {
  /**
   * Checks the worker's own settings before anything touches the database (a missing provider
   * in production): throw a ConfigError naming the variable. Runs before the migrations.
   */
  validate?(config: RuntimeConfig): void;
  /** Starts the loop; a throw stops start-up with the reason (a missing provider, say). */
  start(deps: BackgroundDeps): Promise<WorkerLoop>;
}

export type RunningWorker = RunningProcess;

export const defineWorker = (definition: WorkerDefinition) => definition;

// The worker serves only the runtime's probes; the same server code as a service, so the
// probes, metrics and errors are the same.
const PROBES: OpenApiDocument = {
  openapi: '3.1.0',
  info: { title: 'worker probes', version: '1.0.0' },
  paths: Object.fromEntries(
    ['healthz', 'readyz', 'metrics'].map(id => [
      `/${id}`,
      { get: { operationId: id, responses: { '200': { description: id } } } },
    ]),
  ),
};

/**
 * Starts a worker: tracing, the database (migrated), the loop, and a small HTTP server with
 * `/healthz` (fails once the loop died), `/readyz` (the database answers) and `/metrics`, so an
 * orchestrator probes and scrapes it like the service.
 */
export async function startWorker(
  definition: WorkerDefinition,
  env: Env,
  options: StartOptions = {},
): Promise<RunningWorker> {
  const runtime = await openRuntime(definition, env, options);
  const { db, config, logger, metrics } = runtime;
  try {
    definition.validate?.(config);
    await applyMigrations(definition, runtime);
    const loop = await definition.start(runtime);
    const lifecycle: Lifecycle = { stopping: false };
    const server = await buildServer({
      document: PROBES,
      handlers: runtimeHandlers(runtime, lifecycle),
      logger,
      metrics,
      bodyLimitBytes: config.bodyLimitBytes,
    });
    return await listen(server, runtime, lifecycle, loop);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}

/** What `node dist/worker.js` does: start from the environment, stop gracefully on a signal. */
export function runWorker(definition: WorkerDefinition): Promise<void> {
  return runUntilSignalled(() => startWorker(definition, process.env));
}

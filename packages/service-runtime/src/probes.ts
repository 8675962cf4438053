import type { FastifyInstance } from 'fastify';
import type { RuntimeConfig } from './config.js';
import type { Database } from './db.js';
import { errorMessage } from './errors.js';
import type { Handlers } from './http.js';
import type { Logger } from './logger.js';
import type { ServiceMetrics } from './metrics.js';
import type { RunningProcess, Runtime } from './runtime.js';
import type { Tracing } from './tracing.js';
import type { WorkerLoop } from './worker.js';

/** Shared by the probes and the stop sequence: readiness fails as soon as stopping begins. */
export interface Lifecycle {
  stopping: boolean;
  /** False when the process can no longer do its work (a worker whose loop died). */
  alive?: () => boolean;
}

/** `/healthz`, `/readyz` and `/metrics`, as every process on the runtime answers them. */
export function runtimeHandlers(
  deps: { db: Database; metrics: ServiceMetrics; logger: Logger },
  lifecycle: Lifecycle,
): Handlers {
  return {
    healthz: async () =>
      lifecycle.alive?.() === false
        ? { status: 503, body: { status: 'failed' } }
        : { status: 200, body: { status: 'ok' } },
    readyz: async () => {
      if (lifecycle.stopping) {
        return {
          status: 503,
          body: { status: 'stopping', checks: { database: 'not checked' } },
        };
      }
      try {
        await deps.db.ping();
        return {
          status: 200,
          body: { status: 'ready', checks: { database: 'up' } },
        };
      } catch (error) {
        deps.logger.warn(
          { reason: errorMessage(error) },
          'readiness check failed',
        );
        return {
          status: 503,
          body: { status: 'not_ready', checks: { database: 'down' } },
        };
      }
    },
    metrics: async () => ({
      status: 200,
      body: await deps.metrics.render(),
      headers: { 'content-type': deps.metrics.contentType },
    }),
  };
}

/**
 * Readiness fails first (so the load balancer stops sending), then after SHUTDOWN_DELAY_MS the
 * server stops accepting and in-flight requests get SHUTDOWN_GRACE_MS; then the pool closes and
 * buffered spans are exported.
 */
export async function stopServer(
  server: FastifyInstance,
  runtime: { db: Database; tracing: Tracing; config: RuntimeConfig },
  lifecycle: Lifecycle,
  beforeClose: () => Promise<void> = async () => {},
): Promise<void> {
  if (lifecycle.stopping) return;
  lifecycle.stopping = true;
  const { config } = runtime;
  if (config.shutdownDelayMs > 0) {
    await new Promise(resolve => setTimeout(resolve, config.shutdownDelayMs));
  }
  const force = setTimeout(
    () => server.server.closeAllConnections(),
    config.shutdownGraceMs,
  );
  try {
    await Promise.all([server.close(), beforeClose()]);
  } finally {
    clearTimeout(force);
  }
  await runtime.db.close();
  await runtime.tracing.shutdown();
}

/**
 * Listens on PORT and hands back the running process, whose stop runs {@link stopServer}. A
 * `loop` beside the server (a worker's, a service's background work) fails `/healthz` once it
 * is no longer alive, stops while the server drains, and is stopped if the port cannot open.
 */
export async function listen(
  server: FastifyInstance,
  runtime: Runtime,
  lifecycle: Lifecycle,
  loop?: WorkerLoop,
): Promise<RunningProcess> {
  if (loop) lifecycle.alive = () => loop.alive?.() ?? true;
  try {
    await server.listen({ port: runtime.config.port, host: '::' });
  } catch (error) {
    await loop?.stop();
    throw error;
  }
  const port = (server.server.address() as { port: number }).port;
  runtime.logger.info({ port }, 'listening');
  const { db, config, logger, metrics } = runtime;
  return {
    port,
    db,
    config,
    logger,
    metrics,
    stop: () =>
      stopServer(server, runtime, lifecycle, loop && (() => loop.stop())),
  };
}

import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ServiceConfig } from './config.js';
import { createDatabase, migrate, type Database, type Db } from './db.js';
import type { Route } from './http.js';
import { createLogger, errorMessage, type Logger } from './log.js';
import { Metrics } from './metrics.js';
import { startServer } from './server.js';
import { initTracing } from './tracing.js';

/** What a golden path's `src/service.ts` exports. */
export type CreateRoutes = (deps: { db: Db; config: ServiceConfig; logger: Logger; metrics: Metrics }) => Route[];

export interface RunningService {
  readonly port: number;
  readonly db: Database;
  readonly metrics: Metrics;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Where log lines go. @default process.stdout */
  writeLog?: (line: string) => void;
  /** Extra span processors (tests collect spans with one). */
  spanProcessors?: SpanProcessor[];
}

/** Wires the platform: tracing, database (migrated), metrics, then the HTTP server. */
export async function startService(config: ServiceConfig, createRoutes: CreateRoutes, options: StartOptions = {}): Promise<RunningService> {
  initTracing({ exporter: config.tracesExporter, extraProcessors: options.spanProcessors });
  const logger = createLogger({ service: config.serviceName, level: config.logLevel, write: options.writeLog });
  const db = createDatabase({
    connectionString: config.databaseUrl,
    schema: config.databaseSchema,
    onError: error => logger.warn('idle database connection lost', { reason: errorMessage(error) }),
  });
  try {
    const applied = await migrate(db);
    if (applied.length > 0) logger.info('migrations applied', { migrations: applied.join(', ') });
    const metrics = new Metrics();
    const routes = createRoutes({ db, config, logger, metrics });
    const server = await startServer({ routes, db, logger, metrics, bodyLimitBytes: config.bodyLimitBytes }, config.port);
    logger.info('listening', { port: server.port });
    return {
      port: server.port,
      db,
      metrics,
      async stop() {
        await server.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}

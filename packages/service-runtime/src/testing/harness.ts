import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { verifiedSchemes } from '../bearer.js';
import type { RuntimeConfig } from '../config.js';
import type { Db } from '../db.js';
import type { StartOptions } from '../runtime.js';
import { readOpenApi } from '../openapi.js';
import {
  openApiFile,
  startService,
  type ServiceDefinition,
} from '../service.js';
import { startWorker, type WorkerDefinition } from '../worker.js';
import type { SpanProcessor } from '../tracing.js';
import { requestedScopes, startTestIssuer, type TestIssuer } from './issuer.js';
import { startPostgres } from './postgres.js';
import { startProxy, type CuttableProxy } from './tcpProxy.js';

export interface TestServiceOptions {
  /** Extra settings, as the environment would give them (e.g. `BODY_LIMIT_BYTES`). */
  env?: Record<string, string>;
  /** Handlers to serve instead of the definition's own. */
  createHandlers?: ServiceDefinition['createHandlers'];
  /** Connect through a proxy the test can cut, to play "the database is down". @default false */
  interruptibleDatabase?: boolean;
  /** Collects log lines (and turns logging on at info level). */
  writeLog?: (line: string) => void;
  spanProcessors?: SpanProcessor[];
}

export interface TestService {
  baseUrl: string;
  db: Db;
  config: RuntimeConfig;
  /** Present with `interruptibleDatabase`. */
  database?: Pick<CuttableProxy, 'cut' | 'restore'>;
  /**
   * When openapi.yaml has a scheme the runtime verifies (`x-paver-verify: jwks`) and the test
   * names no AUTH_JWKS_URL: the issuer the service trusts, to mint other tokens (expired, wrong
   * audience, fewer scopes).
   */
  issuer?: TestIssuer;
  /** With `issuer`: `Bearer <token>` holding every scope the document asks for. */
  authorization?: string;
  stop(): Promise<void>;
}

/** A worker under test: `baseUrl` is where its /healthz, /readyz and /metrics answer. */
export type TestWorker = TestService;

/**
 * Starts the service on a free port against a real PostgreSQL: DATABASE_URL when set (CI's service
 * container), else the cluster from the global setup, else a throwaway one of its own. Each
 * service gets a fresh schema, dropped on stop, so tests never see each other's rows.
 */
export async function startTestService(
  definition: ServiceDefinition,
  options: TestServiceOptions = {},
): Promise<TestService> {
  const serve = options.createHandlers
    ? { ...definition, createHandlers: options.createHandlers }
    : definition;
  const issuer = await trustedIssuer(definition, options.env);
  const env = issuer
    ? {
        AUTH_JWKS_URL: issuer.jwksUrl,
        AUTH_ISSUER: issuer.issuer,
        ...options.env,
      }
    : options.env;
  try {
    const service = await startTestProcess({ ...options, env }, (e, start) =>
      startService(serve, e, start),
    );
    if (!issuer) return service;
    return {
      ...service,
      issuer,
      authorization: `Bearer ${await issuer.token()}`,
      async stop() {
        await service.stop();
        await issuer.close();
      },
    };
  } catch (error) {
    await issuer?.close();
    throw error;
  }
}

/** A test issuer for a service whose document asks for verified bearer tokens, unless one is named. */
async function trustedIssuer(
  definition: ServiceDefinition,
  env: Record<string, string> = {},
): Promise<TestIssuer | undefined> {
  if (env.AUTH_JWKS_URL) return undefined;
  const document = readOpenApi(openApiFile(definition));
  if (verifiedSchemes(document).length === 0) return undefined;
  return startTestIssuer(
    env.AUTH_AUDIENCE || definition.name,
    requestedScopes(document),
  );
}

/**
 * Starts a worker the same way, in a schema of its own unless `env.DATABASE_SCHEMA` names the one
 * a test service uses (a worker working through that service's outbox).
 */
export function startTestWorker(
  definition: WorkerDefinition,
  options: Omit<TestServiceOptions, 'createHandlers'> = {},
): Promise<TestWorker> {
  return startTestProcess(options, (env, start) =>
    startWorker(definition, env, start),
  );
}

async function startTestProcess(
  options: Omit<TestServiceOptions, 'createHandlers'>,
  start: (
    env: Record<string, string>,
    startOptions: StartOptions,
  ) => Promise<{
    port: number;
    db: Db;
    config: RuntimeConfig;
    stop(): Promise<void>;
  }>,
): Promise<TestService> {
  const database = await resolveDatabase();
  const url = new URL(database.url);
  const proxy = options.interruptibleDatabase
    ? await startProxy(url.hostname, Number(url.port || 5432))
    : undefined;
  const serviceUrl = new URL(database.url);
  if (proxy) {
    serviceUrl.hostname = '127.0.0.1';
    serviceUrl.port = String(proxy.port);
  }
  const ownSchema = !options.env?.DATABASE_SCHEMA;
  const schema =
    options.env?.DATABASE_SCHEMA ?? `test_${randomBytes(6).toString('hex')}`;
  const env = {
    LOG_LEVEL: options.writeLog ? 'info' : process.env.LOG_LEVEL ?? 'silent',
    ...options.env,
    PORT: '0',
    DATABASE_URL: serviceUrl.toString(),
    DATABASE_SCHEMA: schema,
  };
  // A start that fails (a test of a refused setting) must not leave its database behind.
  const running = await start(env, {
    writeLog: options.writeLog,
    spanProcessors: options.spanProcessors,
  }).catch(async error => {
    await proxy?.close();
    await database.release();
    throw error;
  });
  return {
    baseUrl: `http://127.0.0.1:${running.port}`,
    db: running.db,
    config: running.config,
    database: proxy,
    async stop() {
      await running.stop();
      await proxy?.close();
      if (ownSchema) await dropSchema(database.url, schema);
      await database.release();
    },
  };
}

async function resolveDatabase(): Promise<{
  url: string;
  release(): Promise<void>;
}> {
  const none = async () => undefined;
  if (process.env.DATABASE_URL)
    return { url: process.env.DATABASE_URL, release: none };
  const provided = inject('databaseUrl');
  if (provided) return { url: provided, release: none };
  const own = await startPostgres();
  return { url: own.connectionString, release: own.stop };
}

async function dropSchema(
  connectionString: string,
  schema: string,
): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

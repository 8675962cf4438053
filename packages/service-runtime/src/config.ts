import { z } from 'zod';
import { ConfigError } from './errors.js';

/** The environment a service reads its settings from (12-factor). */
export type Env = Readonly<Record<string, string | undefined>>;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

const optional = (value: string | undefined) =>
  value === '' ? undefined : value;
const integer = (min: number, max: number) => {
  const message = `must be an integer from ${min} to ${max}`;
  const inRange = (v: string) =>
    /^-?\d+$/.test(v) && Number(v) >= min && Number(v) <= max;
  return z.preprocess(
    optional,
    z.string().refine(inRange, message).transform(Number).optional(),
  );
};
const choice = <T extends [string, ...string[]]>(values: T) =>
  z.preprocess(
    optional,
    z.enum(values, { error: `must be one of ${values.join(', ')}` }).optional(),
  );

/**
 * Every variable the runtime reads, with its rule. A golden path's own settings are read with
 * `readSettings` and a schema of its own, or the helpers below.
 */
export const runtimeEnvSchema = z.object({
  PORT: integer(0, 65535),
  DATABASE_URL: z.preprocess(optional, z.string({ error: 'must be set' })),
  DATABASE_SCHEMA: z.preprocess(
    optional,
    z
      .string()
      .regex(SCHEMA_NAME, `must match ${SCHEMA_NAME.source}`)
      .optional(),
  ),
  DATABASE_POOL_SIZE: integer(1, 1000),
  DATABASE_STATEMENT_TIMEOUT_MS: integer(0, 3_600_000),
  LOG_LEVEL: choice(['debug', 'info', 'warn', 'error', 'silent']),
  BODY_LIMIT_BYTES: integer(1, 64 * 1024 * 1024),
  SHUTDOWN_GRACE_MS: integer(0, 120_000),
  SHUTDOWN_DELAY_MS: integer(0, 120_000),
  OTEL_TRACES_EXPORTER: choice(['otlp', 'console', 'none']),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(optional, z.url().optional()),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.preprocess(
    optional,
    z.url().optional(),
  ),
  OTEL_SERVICE_NAME: z.preprocess(optional, z.string().optional()),
});

/** Settings read from the environment once at start; handlers receive this, never process.env. */
export interface RuntimeConfig {
  readonly serviceName: string;
  /** `PORT` @default 8080 (0 picks a free port) */
  readonly port: number;
  /** `DATABASE_URL` (required) */
  readonly databaseUrl: string;
  /** `DATABASE_SCHEMA` @default the service name in snake_case */
  readonly databaseSchema: string;
  /** `DATABASE_POOL_SIZE` @default 10 */
  readonly databasePoolSize: number;
  /** `DATABASE_STATEMENT_TIMEOUT_MS`: the longest a statement may run; 0 turns it off. @default 10000 */
  readonly databaseStatementTimeoutMs: number;
  /** `LOG_LEVEL` @default info */
  readonly logLevel: LogLevel;
  /** `BODY_LIMIT_BYTES`: largest accepted request body. @default 1048576 */
  readonly bodyLimitBytes: number;
  /** `SHUTDOWN_DELAY_MS`: how long /readyz fails before the server stops taking requests. @default 0 */
  readonly shutdownDelayMs: number;
  /** `SHUTDOWN_GRACE_MS`: how long in-flight requests get to finish after that. @default 10000 */
  readonly shutdownGraceMs: number;
  /**
   * `OTEL_TRACES_EXPORTER`: `otlp` (to `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` or
   * `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`), `console` or `none`.
   * @default otlp when an endpoint is set, else none
   */
  readonly tracesExporter: 'otlp' | 'console' | 'none';
  /** Where OTLP/HTTP traces go, when the exporter is otlp. */
  readonly otlpTracesEndpoint: string | undefined;
  /** The environment, for settings a golden path's own domain reads. */
  readonly env: Env;
}

/** The service name in snake_case: a PostgreSQL schema name (hyphens are awkward in SQL). */
export const defaultSchemaFor = (serviceName: string) =>
  serviceName.replace(/[^a-z0-9]+/g, '_').replace(/^(\d)/, '_$1');

/** Parses `env` with a zod object schema; every problem names its variable. */
export function readSettings<S extends z.ZodType>(
  schema: S,
  env: Env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map(issue => {
    const name = issue.path.join('.');
    const raw = env[name];
    const got = raw === undefined ? '' : `, got ${JSON.stringify(raw)}`;
    return `${name} ${issue.message}${got}`;
  });
  throw new ConfigError(problems.join('; '));
}

/**
 * The runtime's settings for the process named `name` (the default schema). `serviceName` is
 * what logs and traces call it when that differs (a worker: `<name>-worker`); OTEL_SERVICE_NAME
 * wins over both.
 */
export function loadRuntimeConfig(
  name: string,
  env: Env,
  serviceName: string = name,
): RuntimeConfig {
  const s = readSettings(runtimeEnvSchema, env);
  const otlpTracesEndpoint =
    s.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
    (s.OTEL_EXPORTER_OTLP_ENDPOINT
      ? `${s.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`
      : undefined);
  const tracesExporter = (s.OTEL_TRACES_EXPORTER ??
    (otlpTracesEndpoint ? 'otlp' : 'none')) as RuntimeConfig['tracesExporter'];
  if (tracesExporter === 'otlp' && !otlpTracesEndpoint) {
    throw new ConfigError(
      'OTEL_TRACES_EXPORTER is otlp but neither OTEL_EXPORTER_OTLP_TRACES_ENDPOINT nor OTEL_EXPORTER_OTLP_ENDPOINT is set',
    );
  }
  return {
    serviceName: s.OTEL_SERVICE_NAME ?? serviceName,
    port: s.PORT ?? 8080,
    databaseUrl: s.DATABASE_URL,
    databaseSchema: s.DATABASE_SCHEMA ?? defaultSchemaFor(name),
    databasePoolSize: s.DATABASE_POOL_SIZE ?? 10,
    databaseStatementTimeoutMs: s.DATABASE_STATEMENT_TIMEOUT_MS ?? 10_000,
    logLevel: (s.LOG_LEVEL ?? 'info') as LogLevel,
    bodyLimitBytes: s.BODY_LIMIT_BYTES ?? 1024 * 1024,
    shutdownDelayMs: s.SHUTDOWN_DELAY_MS ?? 0,
    shutdownGraceMs: s.SHUTDOWN_GRACE_MS ?? 10_000,
    tracesExporter,
    otlpTracesEndpoint,
    env,
  };
}

/** A required setting, or a ConfigError naming it. */
export function requiredSetting(env: Env, name: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(`${name} must be set`);
  return value;
}

/** An integer setting within a range, its fallback when unset, or a ConfigError naming it. */
export function intSetting(
  env: Env,
  name: string,
  fallback: number,
  range: { min: number; max: number },
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new ConfigError(
      `${name} must be an integer from ${range.min} to ${
        range.max
      }, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

/** One of the allowed values, the fallback when unset, or a ConfigError naming the setting. */
export function oneOf<T extends string>(
  env: Env,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(
      `${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(
        raw,
      )}`,
    );
  }
  return raw as T;
}

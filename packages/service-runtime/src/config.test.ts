import { ConfigError } from './errors.js';
import { loadRuntimeConfig } from './config.js';

const base = { DATABASE_URL: 'postgres://db.internal/app' };

describe('runtime settings', () => {
  it('has defaults for everything but DATABASE_URL', () => {
    const config = loadRuntimeConfig('invoicing-api', base);
    expect(config).toMatchObject({
      port: 8080,
      databaseSchema: 'invoicing_api',
      databasePoolSize: 10,
      databaseStatementTimeoutMs: 10_000,
      logLevel: 'info',
      tracesExporter: 'none',
    });
  });

  it.each([
    [{}, /DATABASE_URL must be set/],
    [
      { ...base, PORT: 'eighty' },
      /PORT must be an integer from 0 to 65535, got "eighty"/,
    ],
    [
      { ...base, DATABASE_POOL_SIZE: '0' },
      /DATABASE_POOL_SIZE must be an integer from 1 to 1000/,
    ],
    [
      { ...base, LOG_LEVEL: 'loud' },
      /LOG_LEVEL must be one of debug, info, warn, error, silent, got "loud"/,
    ],
    [{ ...base, DATABASE_SCHEMA: 'Bad-Name' }, /DATABASE_SCHEMA must match/],
    [
      { ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' },
      /OTEL_EXPORTER_OTLP_ENDPOINT/,
    ],
    [
      { ...base, OTEL_TRACES_EXPORTER: 'otlp' },
      /OTEL_TRACES_EXPORTER is otlp but neither/,
    ],
  ])('names the variable that is wrong (%j)', (env, message) => {
    expect(() => loadRuntimeConfig('svc', env)).toThrow(ConfigError);
    expect(() => loadRuntimeConfig('svc', env)).toThrow(message);
  });

  it('sends traces over OTLP when an endpoint is set, to its /v1/traces', () => {
    const config = loadRuntimeConfig('svc', {
      ...base,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
    });
    expect(config.tracesExporter).toBe('otlp');
    expect(config.otlpTracesEndpoint).toBe('http://collector:4318/v1/traces');
  });
});

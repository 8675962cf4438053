import { DevStackError } from '../errors';
import {
  generatedSecrets,
  localEnvironment,
  type StackEndpoints,
} from './localEnv';
import { readService, type DevService } from './workloads';
import { renderedGoldenPath } from '../__testUtils__/renderedGoldenPath';

const stack = (overrides: Partial<StackEndpoints> = {}): StackEndpoints => ({
  databaseUrl: service => `postgres://paver:paver@127.0.0.1:5999/${service}`,
  natsUrl: 'nats://127.0.0.1:4999',
  smtpUrl: 'smtp://127.0.0.1:2599',
  serviceUrls: new Map([['auth-api', 'http://127.0.0.1:7101']]),
  generated: generatedSecrets(),
  ...overrides,
});

describe('localEnvironment', () => {
  let notification: DevService;
  let auth: DevService;
  beforeAll(async () => {
    notification = readService(
      await renderedGoldenPath('notification-service'),
    );
    auth = readService(await renderedGoldenPath('auth-service'));
  });

  it("points the worker's cluster addresses and secrets at the stack", () => {
    const worker = notification.workloads[1];
    const env = localEnvironment(notification, worker, stack(), {}, 7202);
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      PORT: '7202',
      DATABASE_URL: 'postgres://paver:paver@127.0.0.1:5999/notification-api',
      EMAIL_PROVIDER: 'smtp',
      SMTP_URL: 'smtp://127.0.0.1:2599',
      SMTP_FROM: 'notification-api <notification-api@localhost>',
    });
    // The node's address and the collector on it have no stand-in: no traces are exported.
    expect(env).not.toHaveProperty('HOST_IP');
    expect(env).not.toHaveProperty('OTEL_EXPORTER_OTLP_ENDPOINT');
  });

  it("calls the stack's auth service by its Kubernetes Service name, and NATS", () => {
    const env = localEnvironment(
      notification,
      notification.workloads[0],
      stack({ otlpUrl: 'http://127.0.0.1:4318' }),
      {},
      7201,
    );
    expect(env).toMatchObject({
      AUTH_JWKS_URL: 'http://127.0.0.1:7101/.well-known/jwks.json',
      AUTH_ISSUER: 'urn:paver:auth-api',
      AUTH_AUDIENCE: 'auth-api',
      NATS_URL: 'nats://127.0.0.1:4999',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
    });
  });

  it('gives each generated secret one random value per stack, shared by its processes', () => {
    const endpoints = stack();
    const first = localEnvironment(auth, auth.workloads[0], endpoints, {}, 1);
    const again = localEnvironment(auth, auth.workloads[0], endpoints, {}, 2);
    expect(first.KEYS_ADMIN_TOKEN).toMatch(/^[\w-]{43}$/);
    expect(first.KEYS_ADMIN_TOKEN).not.toBe(first.INTROSPECTION_TOKEN);
    expect(again.KEYS_ADMIN_TOKEN).toBe(first.KEYS_ADMIN_TOKEN);
    const other = localEnvironment(auth, auth.workloads[0], stack(), {}, 1);
    expect(other.KEYS_ADMIN_TOKEN).not.toBe(first.KEYS_ADMIN_TOKEN);
  });

  it('lets the stack file set a variable, and never the port', () => {
    const env = localEnvironment(
      auth,
      auth.workloads[0],
      stack(),
      { ACCESS_TOKEN_SCOPES: 'billing:read', PORT: '1' },
      7100,
    );
    expect(env.ACCESS_TOKEN_SCOPES).toBe('billing:read');
    expect(env.PORT).toBe('7100');
  });

  it('names the variable and the missing service when a call has no target in the stack', () => {
    const call = () =>
      localEnvironment(
        notification,
        notification.workloads[0],
        stack({ serviceUrls: new Map() }),
        {},
        1,
      );
    expect(call).toThrow(DevStackError);
    expect(call).toThrow(
      'notification-api: notification-api: AUTH_JWKS_URL: calls auth-api, which is not running in this stack (running: none yet)',
    );
    // Set by hand, the variable needs no stand-in.
    const env = localEnvironment(
      notification,
      notification.workloads[0],
      stack({ serviceUrls: new Map() }),
      { AUTH_JWKS_URL: 'https://auth.example.org/jwks' },
      1,
    );
    expect(env.AUTH_JWKS_URL).toBe('https://auth.example.org/jwks');
  });

  it('refuses a secret it has no stand-in for, naming it', () => {
    const workload = {
      ...auth.workloads[0],
      env: [
        {
          name: 'STRIPE_KEY',
          valueFrom: { secretKeyRef: { name: 'stripe', key: 'key' } },
        },
      ],
    };
    expect(() => localEnvironment(auth, workload, stack(), {}, 1)).toThrow(
      'auth-api: auth-api: STRIPE_KEY: reads key key of secret stripe, which paver dev has no stand-in for; set it under env: in the stack file',
    );
  });
});

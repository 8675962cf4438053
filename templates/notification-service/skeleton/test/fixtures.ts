// Shared by this service's tests: an HTTP client for the API, seed data, and a dispatcher wired to
// recording adapters and a clock the test moves by hand.
import { randomUUID } from 'node:crypto';
import type { Db } from '@paver/service-runtime';
import { InMemoryAdapter } from '../src/domain/adapters/in-memory.js';
import { InAppAdapter } from '../src/domain/adapters/in-app.js';
import type { ChannelAdapter } from '../src/domain/channels.js';
import { Dispatcher } from '../src/domain/dispatcher.js';
import { loadNotificationSettings } from '../src/domain/settings.js';
import type { TestService } from './support/harness.js';

/** Settings for tests: 3 attempts, 1 s base backoff, 1 min digests. */
export const TEST_ENV = {
  NOTIFY_MAX_ATTEMPTS: '3',
  NOTIFY_BACKOFF_BASE_MS: '1000',
  NOTIFY_BACKOFF_MAX_MS: '60000',
  NOTIFY_LEASE_MS: '30000',
  NOTIFY_DIGEST_PERIOD_MS: '60000',
};

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** An HTTP client for the API that sends the bearer token the test harness minted (every scope). */
export function apiClient({ baseUrl, authorization }: Pick<TestService, 'baseUrl' | 'authorization'>) {
  const call = async <T = any>(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<ApiResponse<T>> => {
    const headers = { ...(authorization ? { authorization } : {}), ...extra };
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
  return {
    get: <T = any>(path: string) => call<T>('GET', path),
    put: <T = any>(path: string, body: unknown) => call<T>('PUT', path, body),
    post: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => call<T>('POST', path, body, headers),
    /** POST /notifications with a fresh Idempotency-Key unless one is given. */
    notify: <T = any>(body: Record<string, unknown>, key: string = randomUUID()) =>
      call<T>('POST', '/notifications', body, { 'idempotency-key': key }),
  };
}
export type Api = ReturnType<typeof apiClient>;

/** A recipient with every address, and a template for each channel, under fresh unique names. */
export async function seed(api: Api, overrides: { optedOut?: string[]; locale?: string } = {}) {
  const recipientId = `user-${randomUUID().slice(0, 8)}`;
  const template = `welcome-${randomUUID().slice(0, 8)}`;
  await expectOk(api.put(`/recipients/${recipientId}`, { email: `${recipientId}@example.com`, phone: '+14155550100', ...overrides }));
  await expectOk(api.put(`/templates/${template}/email/en`, { subject: 'Hi {{name}}', body: 'Welcome, {{name}}!' }));
  await expectOk(api.put(`/templates/${template}/sms/en`, { body: 'Welcome {{name}}' }));
  await expectOk(api.put(`/templates/${template}/in_app/en`, { subject: 'Hello {{name}}', body: 'Welcome aboard, {{name}}.' }));
  return { recipientId, template };
}

export async function expectOk<T>(response: Promise<ApiResponse<T>>): Promise<T> {
  const res = await response;
  if (res.status >= 300) throw new Error(`expected success, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A clock that starts a little ahead of real time (rows the API wrote are due) and moves on demand. */
export class ManualClock {
  private current = Date.now() + 1_000;
  now = (): Date => new Date(this.current);
  advance(ms: number): void {
    this.current += ms;
  }
}

export function testDispatcher(service: TestService, options: { clock?: ManualClock; db?: Db; batchSize?: number } = {}) {
  const clock = options.clock ?? new ManualClock();
  const db = options.db ?? service.db;
  const adapters = { email: new InMemoryAdapter('email'), sms: new InMemoryAdapter('sms'), in_app: new InAppAdapter(db, clock.now) };
  const dispatcher = new Dispatcher({ db, adapters, settings: loadNotificationSettings(service.config.env), now: clock.now, batchSize: options.batchSize });
  return { dispatcher, adapters, clock };
}

/** A dispatcher on the test clock that delivers one channel through a real provider adapter. */
export function providerDispatcher(service: TestService, adapter: ChannelAdapter, clock = new ManualClock()) {
  const adapters = { email: new InMemoryAdapter('email'), sms: new InMemoryAdapter('sms'), in_app: new InAppAdapter(service.db, clock.now), [adapter.channel]: adapter };
  const dispatcher = new Dispatcher({ db: service.db, adapters, settings: loadNotificationSettings(service.config.env), now: clock.now });
  return { dispatcher, clock };
}

/** Polls `probe` every 10 ms until it returns something other than undefined; gives up after 1,000 polls. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what = 'the condition'): Promise<T> {
  for (let i = 0; i < 1_000; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  throw new Error(`${what} did not happen within 1,000 polls (10 s or more)`);
}

/** The worker's environment in tests: the service's own settings and database, plus `extra`. */
export function workerEnv(service: TestService, extra: Record<string, string>): Record<string, string | undefined> {
  return { ...service.config.env, DATABASE_URL: service.config.databaseUrl, DATABASE_SCHEMA: service.config.databaseSchema, ...extra };
}

/** Reads one outbox row straight from the database. */
export async function outboxRow(db: Db, messageId: string) {
  const rows = await db.query<{ status: string; attempts: number; next_attempt_at: Date; last_error: string | null }>(
    'SELECT status, attempts, next_attempt_at, last_error FROM outbox WHERE message_id = $1',
    [messageId],
  );
  return rows[0];
}

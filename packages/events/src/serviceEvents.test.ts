import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  ConfigError,
  createDatabase,
  createLogger,
  loadRuntimeConfig,
  ServiceMetrics,
  type BackgroundDeps,
  type WorkerLoop,
} from '@paver/service-runtime';
import { startPostgres, type ThrowawayPostgres } from '@paver/test-utils';
import { readEventContract } from './contract.js';
import type { EventEnvelope } from './envelope.js';
import { eventProducer } from './outbox.js';
import { serviceEvents } from './serviceEvents.js';
import { natsServers } from './settings.js';
import {
  publishedEvents,
  startNats,
  type ThrowawayNats,
} from './testing/index.js';

const contract = (name: string) =>
  readEventContract(
    fileURLToPath(
      new URL(`./__fixtures__/${name}-asyncapi.yaml`, import.meta.url),
    ),
  );
const INVOICE_ISSUED = 'billing-service.invoice.issued.v1';

let postgres: ThrowawayPostgres;
let nats: ThrowawayNats;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  [postgres, nats] = await Promise.all([startPostgres(), startNats()]);
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await Promise.all([postgres?.stop(), nats?.stop()]);
});

/** What the runtime hands background work: the service's own schema and settings. */
function deps(service: string, env: Record<string, string>): BackgroundDeps {
  const db = createDatabase({
    connectionString: postgres.connectionString,
    schema: service.replaceAll('-', '_'),
  });
  cleanups.push(() => db.close());
  return {
    db,
    config: loadRuntimeConfig(service, {
      DATABASE_URL: postgres.connectionString,
      ...env,
    }),
    logger: createLogger({ level: 'silent', service }),
    metrics: new ServiceMetrics(),
  };
}

async function started(loop: Promise<WorkerLoop>): Promise<WorkerLoop> {
  const running = await loop;
  cleanups.push(() => running.stop());
  return running;
}

describe('a service’s events, run from its contract', () => {
  it('relays what the producer enqueued and hands it to the consumer’s handler once', async () => {
    const billing = deps('billing-service', { NATS_URL: nats.url });
    const notification = deps('notification-service', { NATS_URL: nats.url });
    const handled: EventEnvelope[] = [];
    await started(
      serviceEvents({
        service: 'billing-service',
        contract: contract('billing'),
      })(billing),
    );
    const consumer = await started(
      serviceEvents({
        service: 'notification-service',
        contract: contract('notification'),
        handlers: () => ({
          [INVOICE_ISSUED]: async event => void handled.push(event),
        }),
      })(notification),
    );
    const watch = await publishedEvents(nats.url, INVOICE_ISSUED);
    cleanups.push(() => watch.close());

    const data = {
      invoiceId: randomUUID(),
      customerId: randomUUID(),
      totalMinor: 1200,
      currency: 'EUR',
    };
    const producer = eventProducer('billing-service', contract('billing'));
    const sent = await billing.db.transaction(tx =>
      producer.enqueue(tx, 'invoice.issued', 1, data),
    );

    expect((await watch.find(event => event.id === sent.id)).data).toEqual(
      data,
    );
    await expect
      .poll(() => handled.map(event => event.id), { timeout: 10_000 })
      .toEqual([sent.id]);
    expect(consumer.alive?.()).toBe(true);
  });

  it('refuses a contract and handlers that do not match, naming each subject', async () => {
    const nowhere = deps('notification-service', {
      NATS_URL: 'nats://127.0.0.1:1',
    });
    await expect(
      serviceEvents({
        service: 'notification-service',
        contract: contract('notification'),
      })(nowhere),
    ).rejects.toThrow(`receives ${INVOICE_ISSUED}, which has no handler`);
    await expect(
      serviceEvents({
        service: 'billing-service',
        contract: contract('billing'),
        handlers: () => ({ [INVOICE_ISSUED]: async () => {} }),
      })(nowhere),
    ).rejects.toThrow(
      `has a handler for ${INVOICE_ISSUED}, which it declares no receive operation on`,
    );
    expect(() =>
      serviceEvents({ service: 'auth-service', contract: contract('billing') }),
    ).toThrow('is not an event of auth-service');
  });

  it('names NATS_URL when it is missing, malformed, or nobody answers there', async () => {
    expect(() => natsServers({})).toThrow(
      new ConfigError(
        'NATS_URL must be set: this service sends or receives events (asyncapi.yaml)',
      ),
    );
    expect(() =>
      natsServers({ NATS_URL: 'nats://a:4222, localhost:4222' }),
    ).toThrow(
      'NATS_URL must list nats:// or tls:// URLs, got "localhost:4222"',
    );
    expect(natsServers({ NATS_URL: 'nats://a:4222,tls://b:4222' })).toEqual([
      'nats://a:4222',
      'tls://b:4222',
    ]);
    const nobody = deps('billing-service', { NATS_URL: 'nats://127.0.0.1:1' });
    await expect(
      serviceEvents({
        service: 'billing-service',
        contract: contract('billing'),
      })(nobody),
    ).rejects.toThrow('NATS at nats://127.0.0.1:1 (NATS_URL) did not answer');
  });
});

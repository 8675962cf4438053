import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  ConfigError,
  createDatabase,
  initTracing,
  withSpan,
  type Database,
  type SpanProcessor,
} from '@paver/service-runtime';
import {
  startNats,
  startPostgres,
  type ThrowawayNats,
  type ThrowawayPostgres,
} from '@paver/test-utils';
import { startConsumer } from './consumer.js';
import { DEAD_LETTER_REASON, type EventHandler } from './delivery.js';
import { eventStream, type EventEnvelope } from './envelope.js';
import { enqueueEvent, migrateEvents } from './outbox.js';
import { relayBatch, startOutboxRelay } from './relay.js';
import { DEAD_LETTER_STREAM } from './streams.js';

let postgres: ThrowawayPostgres;
let nats: ThrowawayNats;
const opened: { close(): Promise<unknown> }[] = [];

beforeAll(async () => {
  [postgres, nats] = await Promise.all([startPostgres(), startNats()]);
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map(one => one.close()));
});

afterAll(async () => {
  await Promise.all([postgres?.stop(), nats?.stop()]);
});

let schemas = 0;

/** A service's own schema, with the events tables migrated into it. */
async function serviceDb(): Promise<Database> {
  schemas += 1;
  const db = createDatabase({
    connectionString: postgres.connectionString,
    schema: `events_test_${schemas}`,
  });
  opened.push(db);
  await migrateEvents(db);
  return db;
}

async function natsConnection(): Promise<NatsConnection> {
  const nc = await connect({
    servers: nats.url,
    reconnectTimeWait: 100,
    maxReconnectAttempts: -1,
  });
  opened.push(nc);
  return nc;
}

/** Resolves once `check` holds, polling; fails naming what it waited for. */
async function eventually(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

async function streamMessages(nc: NatsConnection, stream: string) {
  const info = await (await jetstreamManager(nc)).streams.info(stream);
  return info.state.messages;
}

/** A handler that records what it handled, by event id. */
function recorder() {
  const handled = new Map<string, number>();
  const handle: EventHandler = async event => {
    handled.set(event.id, (handled.get(event.id) ?? 0) + 1);
  };
  return { handled, handle };
}

function invoiceIssued(db: Database, source: string, n: number) {
  return db.transaction(tx =>
    enqueueEvent(tx, {
      source,
      type: 'invoice.issued',
      version: 1,
      data: { invoiceId: `inv-${n}` },
    }),
  );
}

describe('events through the outbox and JetStream', () => {
  it('publishes what committed, never what rolled back, and the consumer handles each event once', async () => {
    const [db, nc] = await Promise.all([serviceDb(), natsConnection()]);
    const source = 'billing-one';
    const { handled, handle } = recorder();
    const consumer = await startConsumer({
      db,
      nats: nc,
      consumer: 'notify',
      source,
      type: 'invoice.issued',
      version: 1,
      handle,
    });
    const relay = await startOutboxRelay({ db, nats: nc, source });
    try {
      const kept = await invoiceIssued(db, source, 1);
      await expect(
        db.transaction(async tx => {
          await enqueueEvent(tx, {
            source,
            type: 'invoice.issued',
            version: 1,
            data: { invoiceId: 'never' },
          });
          throw new Error('the invoice failed to save');
        }),
      ).rejects.toThrow('the invoice failed to save');
      await eventually('the committed event handled', () =>
        handled.has(kept.id),
      );
      await new Promise(resolve => setTimeout(resolve, 500));
      expect([...handled.entries()]).toEqual([[kept.id, 1]]);
      expect(await streamMessages(nc, eventStream(source))).toBe(1);
    } finally {
      await relay.stop();
      await consumer.stop();
    }
  });

  it('lets JetStream drop a row published again by a relay that died before marking it', async () => {
    const [db, nc] = await Promise.all([serviceDb(), natsConnection()]);
    const source = 'billing-two';
    await (await startOutboxRelay({ db, nats: nc, source })).stop();
    await invoiceIssued(db, source, 1);
    expect(await relayBatch({ db, nats: nc })).toBe(1);
    await db.query('UPDATE paver_outbox SET published_at = NULL');
    expect(await relayBatch({ db, nats: nc })).toBe(1);
    expect(await streamMessages(nc, eventStream(source))).toBe(1);
  });

  it('hands an event id to the handler once even when it arrives twice', async () => {
    const [db, nc] = await Promise.all([serviceDb(), natsConnection()]);
    const source = 'billing-three';
    const { handled, handle } = recorder();
    const consumer = await startConsumer({
      db,
      nats: nc,
      consumer: 'notify',
      source,
      type: 'invoice.issued',
      version: 1,
      handle,
    });
    try {
      const envelope = await invoiceIssued(db, source, 1);
      const js = jetstream(nc);
      // The same event under two message ids: JetStream keeps both, the inbox lets one through.
      for (const msgID of ['first', 'second']) {
        await js.publish(
          `${source}.invoice.issued.v1`,
          JSON.stringify(envelope),
          {
            msgID,
          },
        );
      }
      await eventually('both deliveries seen', async () => {
        const rows = await db.query<{ n: string }>(
          'SELECT count(*) AS n FROM paver_inbox',
        );
        return rows[0].n === '1' && handled.size === 1;
      });
      await eventually('the consumer has acknowledged both', async () => {
        const info = await (
          await jetstreamManager(nc)
        ).consumers.info(eventStream(source), consumer.durable);
        return info.num_ack_pending === 0 && info.num_pending === 0;
      });
      expect(handled.get(envelope.id)).toBe(1);
    } finally {
      await consumer.stop();
    }
  });

  it('dead-letters a poison event after the bound and a malformed one at once, and goes on', async () => {
    const [db, nc] = await Promise.all([serviceDb(), natsConnection()]);
    const source = 'billing-four';
    const attempts = new Map<string, number>();
    const handled: string[] = [];
    const consumer = await startConsumer({
      db,
      nats: nc,
      consumer: 'notify',
      source,
      type: 'invoice.issued',
      version: 1,
      maxDeliver: 3,
      backoffMs: [50, 100],
      handle: async (event: EventEnvelope) => {
        attempts.set(event.id, (attempts.get(event.id) ?? 0) + 1);
        const { invoiceId } = event.data as { invoiceId: string };
        if (invoiceId === 'inv-1') throw new Error('template missing');
        handled.push(invoiceId);
      },
    });
    const relay = await startOutboxRelay({ db, nats: nc, source });
    try {
      const poison = await invoiceIssued(db, source, 1);
      const js = jetstream(nc);
      await js.publish(`${source}.invoice.issued.v1`, 'not json', {
        msgID: 'malformed',
      });
      await invoiceIssued(db, source, 2);
      await eventually('the healthy event handled', () =>
        handled.includes('inv-2'),
      );
      await eventually(
        'both dead-lettered',
        async () => (await streamMessages(nc, DEAD_LETTER_STREAM)) === 2,
      );
      expect(attempts.get(poison.id)).toBe(3);
      const jsm = await jetstreamManager(nc);
      const reasons = [];
      for (const seq of [1, 2]) {
        const stored = await jsm.streams.getMessage(DEAD_LETTER_STREAM, {
          seq,
        });
        reasons.push(stored?.header.get(DEAD_LETTER_REASON));
      }
      expect(reasons.sort()).toEqual([
        'failed 3 times: template missing',
        'malformed: the message body is not JSON',
      ]);
    } finally {
      await relay.stop();
      await consumer.stop();
    }
  });

  it('loses nothing and delivers nothing twice when NATS restarts mid-stream or the consumer is down', async () => {
    const [db, nc] = await Promise.all([serviceDb(), natsConnection()]);
    const source = 'billing-five';
    const { handled, handle } = recorder();
    const options = {
      db,
      nats: nc,
      consumer: 'notify',
      source,
      type: 'invoice.issued',
      version: 1,
      handle,
    };
    let consumer = await startConsumer(options);
    const relay = await startOutboxRelay({ db, nats: nc, source, pollMs: 50 });
    try {
      for (let n = 0; n < 10; n += 1) await invoiceIssued(db, source, n);
      await consumer.stop();
      await nats.stopServer();
      for (let n = 10; n < 20; n += 1) await invoiceIssued(db, source, n);
      await nats.startServer();
      for (let n = 20; n < 30; n += 1) await invoiceIssued(db, source, n);
      await eventually(
        'every row published',
        async () =>
          (
            await db.query<{ n: string }>(
              'SELECT count(*) AS n FROM paver_outbox WHERE published_at IS NULL',
            )
          )[0].n === '0',
      );
      consumer = await startConsumer(options);
      await eventually('all 30 handled', () => handled.size === 30);
      await new Promise(resolve => setTimeout(resolve, 500));
      expect([...handled.values()].every(count => count === 1)).toBe(true);
      expect(await streamMessages(nc, eventStream(source))).toBe(30);
    } finally {
      await relay.stop();
      await consumer.stop();
    }
  });

  it("continues the producer's trace in the consumer's span", async () => {
    const ended: { traceId: string; name: string }[] = [];
    const collector: SpanProcessor = {
      onStart: () => {},
      onEnd: span =>
        ended.push({ traceId: span.spanContext().traceId, name: span.name }),
      forceFlush: async () => {},
      shutdown: async () => {},
    };
    const tracing = initTracing({
      serviceName: 'events-test',
      exporter: 'none',
      spanProcessors: [collector],
    });
    const [db, nc] = await Promise.all([serviceDb(), natsConnection()]);
    const source = 'billing-six';
    const { handled, handle } = recorder();
    const consumer = await startConsumer({
      db,
      nats: nc,
      consumer: 'notify',
      source,
      type: 'invoice.issued',
      version: 1,
      handle,
    });
    const relay = await startOutboxRelay({ db, nats: nc, source });
    try {
      await withSpan('POST /invoices', {}, () => invoiceIssued(db, source, 1));
      await eventually('handled', () => handled.size === 1);
      const producer = ended.find(span => span.name === 'POST /invoices');
      const consumed = ended.find(
        span => span.name === `${source}.invoice.issued.v1 process`,
      );
      expect(producer).toBeDefined();
      expect(consumed?.traceId).toBe(producer?.traceId);
    } finally {
      await relay.stop();
      await consumer.stop();
      await tracing.shutdown();
    }
  });

  it('refuses settings that cannot work, naming them', async () => {
    const [db, nc] = await Promise.all([serviceDb(), natsConnection()]);
    const base = {
      db,
      nats: nc,
      consumer: 'notify',
      source: 'billing-seven',
      type: 'invoice.issued',
      version: 1,
      handle: recorder().handle,
    };
    await expect(startConsumer({ ...base, maxDeliver: 0 })).rejects.toThrow(
      new ConfigError(
        'consumer notify: maxDeliver must be a whole number from 1, got 0',
      ),
    );
    await expect(
      startConsumer({ ...base, type: 'Invoice Issued' }),
    ).rejects.toThrow(
      'event type "Invoice Issued" must be dotted lower-case words, e.g. invoice.issued',
    );
    await expect(
      db.transaction(tx =>
        enqueueEvent(tx, {
          source: 'billing-seven',
          type: 'invoice.issued',
          version: 0,
          data: {},
        }),
      ),
    ).rejects.toThrow(
      'event invoice.issued: version must be a whole number from 1, got 0',
    );
  });
});

import { fileURLToPath } from 'node:url';
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
import { startPostgres, type ThrowawayPostgres } from '@paver/test-utils';
import { startConsumer, type ConsumerOptions } from './consumer.js';
import { readEventContract } from './contract.js';
import { DEAD_LETTER_REASON, type EventHandler } from './delivery.js';
import { eventStream, type EventEnvelope } from './envelope.js';
import { enqueueEvent, migrateEvents, OUTBOX_CHANNEL } from './outbox.js';
import { relayBatch, startOutboxRelay, type RelayOptions } from './relay.js';
import { DEAD_LETTER_STREAM } from './streams.js';
import { startNats, type ThrowawayNats } from './testing/nats.js';

let postgres: ThrowawayPostgres;
let nats: ThrowawayNats;
/** Cleanups of the running test, last opened first (relays and consumers before connections). */
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  [postgres, nats] = await Promise.all([startPostgres(), startNats()]);
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
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
  cleanups.push(() => db.close());
  await migrateEvents(db);
  return db;
}

async function natsConnection(): Promise<NatsConnection> {
  const nc = await connect({
    servers: nats.url,
    reconnectTimeWait: 100,
    maxReconnectAttempts: -1,
  });
  cleanups.push(() => nc.close());
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

/** Long enough for a duplicate delivery that was coming to have arrived. */
const settle = () => new Promise(resolve => setTimeout(resolve, 500));

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

/**
 * A producer's database and a NATS connection, a recording handler, and starters for the relay
 * and an `invoice.issued` v1 consumer that stop when the test ends.
 */
async function billingAndNotify(
  source: string,
  overrides: Partial<ConsumerOptions> = {},
) {
  const [db, nc] = await Promise.all([serviceDb(), natsConnection()]);
  const { handled, handle } = recorder();
  const consumerOptions: ConsumerOptions = {
    db,
    nats: nc,
    consumer: 'notify',
    source,
    type: 'invoice.issued',
    version: 1,
    handle,
    ...overrides,
  };
  const stopLater = <T extends { stop(): Promise<void> }>(running: T) => {
    cleanups.push(() => running.stop());
    return running;
  };
  return {
    db,
    nc,
    handled,
    consumerOptions,
    consume: async () => stopLater(await startConsumer(consumerOptions)),
    relay: async (pollMs?: number, wakeOn?: RelayOptions['wakeOn']) =>
      stopLater(
        await startOutboxRelay({ db, nats: nc, source, pollMs, wakeOn }),
      ),
  };
}

function invoiceIssued(
  db: Database,
  source: string,
  n: number,
  more: Record<string, string> = {},
) {
  return db.transaction(tx =>
    enqueueEvent(tx, {
      source,
      type: 'invoice.issued',
      version: 1,
      data: { invoiceId: `inv-${n}`, ...more },
    }),
  );
}

describe('events through the outbox and JetStream', () => {
  it('publishes what committed, never what rolled back, and the consumer handles each event once', async () => {
    const source = 'billing-one';
    const { db, nc, handled, consume, relay } = await billingAndNotify(source);
    await consume();
    await relay();
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
    await eventually('the committed event handled', () => handled.has(kept.id));
    await settle();
    expect([...handled.entries()]).toEqual([[kept.id, 1]]);
    expect(await streamMessages(nc, eventStream(source))).toBe(1);
  });

  it('publishes as soon as the enqueuing transaction commits, not at the next poll', async () => {
    const source = 'billing-listen';
    const { db, handled, consume, relay } = await billingAndNotify(source);
    await consume();
    // A poll an hour away: only the commit's notification can wake the relay in time.
    await relay(3_600_000, {
      connectionString: postgres.connectionString,
      schema: db.schema,
    });
    for (let n = 1; n <= 3; n++) {
      const event = await invoiceIssued(db, source, n);
      await eventually(
        `event ${n} handled`,
        () => handled.has(event.id),
        5_000,
      );
    }
    expect([...handled.values()]).toEqual([1, 1, 1]);
  });

  it('listens again when its LISTEN connection is terminated, and hears the commits after it', async () => {
    const source = 'billing-relisten';
    const { db, handled, consume, relay } = await billingAndNotify(source);
    await consume();
    await relay(3_600_000, {
      connectionString: postgres.connectionString,
      schema: db.schema,
    });
    const listeners = () =>
      db.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE query = 'LISTEN ${OUTBOX_CHANNEL}'`,
      );
    const [before] = await listeners();
    expect(before).toBeDefined();
    await db.query('SELECT pg_terminate_backend($1)', [before.pid]);
    // An event committed while nobody listens is published once the relay listens again.
    const unheard = await invoiceIssued(db, source, 1);
    await eventually(
      'the unheard event handled',
      () => handled.has(unheard.id),
      10_000,
    );
    const [after] = await listeners();
    expect(after.pid).not.toBe(before.pid);
    const heard = await invoiceIssued(db, source, 2);
    await eventually(
      'the next event handled',
      () => handled.has(heard.id),
      5_000,
    );
  });

  it('lets JetStream drop a row published again by a relay that died before marking it', async () => {
    const source = 'billing-two';
    const { db, nc, relay } = await billingAndNotify(source);
    await (await relay()).stop();
    await invoiceIssued(db, source, 1);
    expect(await relayBatch({ db, nats: nc })).toBe(1);
    await db.query('UPDATE paver_outbox SET published_at = NULL');
    expect(await relayBatch({ db, nats: nc })).toBe(1);
    expect(await streamMessages(nc, eventStream(source))).toBe(1);
  });

  it('hands an event id to the handler once even when it arrives twice', async () => {
    const source = 'billing-three';
    const { db, nc, handled, consume } = await billingAndNotify(source);
    const consumer = await consume();
    const envelope = await invoiceIssued(db, source, 1);
    // The same event under two message ids: JetStream keeps both, the inbox lets one through.
    for (const msgID of ['first', 'second']) {
      await jetstream(nc).publish(
        `${source}.invoice.issued.v1`,
        JSON.stringify(envelope),
        { msgID },
      );
    }
    await eventually('both deliveries acknowledged', async () => {
      const info = await (
        await jetstreamManager(nc)
      ).consumers.info(eventStream(source), consumer.durable);
      return info.delivered.stream_seq === 2 && info.num_ack_pending === 0;
    });
    expect([...handled.entries()]).toEqual([[envelope.id, 1]]);
  });

  it('dead-letters a poison event after the bound and a malformed one at once, and goes on', async () => {
    const source = 'billing-four';
    const attempts = new Map<string, number>();
    const handledInvoices: string[] = [];
    const { db, nc, consume, relay } = await billingAndNotify(source, {
      maxDeliver: 3,
      backoffMs: [50, 100],
      handle: async (event: EventEnvelope) => {
        attempts.set(event.id, (attempts.get(event.id) ?? 0) + 1);
        const { invoiceId } = event.data as { invoiceId: string };
        if (invoiceId === 'inv-1') throw new Error('template missing');
        handledInvoices.push(invoiceId);
      },
    });
    await consume();
    await relay();
    const poison = await invoiceIssued(db, source, 1);
    await jetstream(nc).publish(`${source}.invoice.issued.v1`, 'not json', {
      msgID: 'malformed',
    });
    await invoiceIssued(db, source, 2);
    await eventually('the healthy event handled', () =>
      handledInvoices.includes('inv-2'),
    );
    await eventually(
      'both dead-lettered',
      async () => (await streamMessages(nc, DEAD_LETTER_STREAM)) === 2,
    );
    expect(attempts.get(poison.id)).toBe(3);
    const jsm = await jetstreamManager(nc);
    const reasons = [];
    for (const seq of [1, 2]) {
      const stored = await jsm.streams.getMessage(DEAD_LETTER_STREAM, { seq });
      reasons.push(stored?.header.get(DEAD_LETTER_REASON));
    }
    expect(reasons.sort()).toEqual([
      'failed 3 times: template missing',
      'malformed: the message body is not JSON',
    ]);
  });

  it('loses nothing and delivers nothing twice when NATS restarts mid-stream or the consumer is down', async () => {
    const source = 'billing-five';
    const { db, nc, handled, consume, relay } = await billingAndNotify(source);
    const consumer = await consume();
    await relay(50);
    for (let n = 0; n < 10; n += 1) await invoiceIssued(db, source, n);
    await consumer.stop();
    await nats.stopServer();
    for (let n = 10; n < 20; n += 1) await invoiceIssued(db, source, n);
    await nats.startServer();
    for (let n = 20; n < 30; n += 1) await invoiceIssued(db, source, n);
    await eventually('every row published', async () => {
      const [{ n }] = await db.query<{ n: string }>(
        'SELECT count(*) AS n FROM paver_outbox WHERE published_at IS NULL',
      );
      return n === '0';
    });
    await consume();
    await eventually('all 30 handled', () => handled.size === 30);
    await settle();
    expect([...handled.values()].every(count => count === 1)).toBe(true);
    expect(await streamMessages(nc, eventStream(source))).toBe(30);
  });

  it('reads from when its ledger first subscribed: no history before it, and the same point when NATS lost its durable', async () => {
    const source = 'billing-late';
    const { db, nc, handled, consume, relay } = await billingAndNotify(source);
    await relay();
    const before = await invoiceIssued(db, source, 1);
    await eventually(
      'the early event is on the stream',
      async () => (await streamMessages(nc, eventStream(source))) === 1,
    );
    const first = await consume();
    const after = await invoiceIssued(db, source, 2);
    await eventually('the later event is handled', () => handled.has(after.id));

    await first.stop();
    await (
      await jetstreamManager(nc)
    ).consumers.delete(eventStream(source), first.durable);
    const meanwhile = await invoiceIssued(db, source, 3);
    await consume();
    await eventually('the event published without a durable is handled', () =>
      handled.has(meanwhile.id),
    );
    await settle();
    expect(handled.has(before.id)).toBe(false);
    expect(handled.get(after.id)).toBe(1);
  });

  it('dead-letters at once an event whose data is outside its contract, and refuses a contract that does not receive it', async () => {
    const source = 'billing-service';
    const contract = readEventContract(
      fileURLToPath(
        new URL('./__fixtures__/notification-asyncapi.yaml', import.meta.url),
      ),
    );
    const attempts: string[] = [];
    const { db, nc, consume, relay, consumerOptions } = await billingAndNotify(
      source,
      {
        contract,
        handle: async event => {
          attempts.push((event.data as { invoiceId: string }).invoiceId);
        },
      },
    );
    await consume();
    await relay();
    await db.transaction(tx =>
      enqueueEvent(tx, {
        source,
        type: 'invoice.issued',
        version: 1,
        data: { invoiceId: 'inv-1' },
      }),
    );
    await invoiceIssued(db, source, 2, { customerId: 'c-2' });
    await eventually('the valid event handled', () =>
      attempts.includes('inv-2'),
    );
    const jsm = await jetstreamManager(nc);
    const deadLettered = () =>
      jsm.streams
        .getMessage(DEAD_LETTER_STREAM, {
          last_by_subj: `dead-letter.notify-invoice-issued-v1.${source}.invoice.issued.v1`,
        })
        .catch(() => null);
    await eventually(
      'the invalid one dead-lettered',
      async () => (await deadLettered()) !== null,
    );
    expect(attempts).toEqual(['inv-2']);
    const stored = await deadLettered();
    expect(stored?.header.get(DEAD_LETTER_REASON)).toBe(
      `outside the contract: ${source}.invoice.issued.v1: data must have required property 'customerId'`,
    );
    await expect(
      startConsumer({
        ...consumerOptions,
        type: 'subscription.activated',
      }),
    ).rejects.toThrow(
      `declares no receive operation on ${source}.subscription.activated.v1, which notify consumes`,
    );
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
    cleanups.push(() => tracing.shutdown());
    const source = 'billing-six';
    const { db, handled, consume, relay } = await billingAndNotify(source);
    await consume();
    await relay();
    await withSpan('POST /invoices', {}, () => invoiceIssued(db, source, 1));
    await eventually('handled', () => handled.size === 1);
    // The handler runs inside the consumer's span, which ends after its transaction commits.
    const consumerSpan = `${source}.invoice.issued.v1 process`;
    await eventually('the consumer span ended', () =>
      ended.some(span => span.name === consumerSpan),
    );
    const producer = ended.find(span => span.name === 'POST /invoices');
    const consumed = ended.find(span => span.name === consumerSpan);
    expect(producer).toBeDefined();
    expect(consumed?.traceId).toBe(producer?.traceId);
  });

  it('refuses settings that cannot work, naming them', async () => {
    const { db, consumerOptions } = await billingAndNotify('billing-seven');
    await expect(
      startConsumer({ ...consumerOptions, maxDeliver: 0 }),
    ).rejects.toThrow(
      new ConfigError(
        'consumer notify: maxDeliver must be a whole number from 1, got 0',
      ),
    );
    await expect(
      startConsumer({ ...consumerOptions, type: 'Invoice Issued' }),
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

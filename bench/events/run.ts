// Event round trip on the local NATS with JetStream and PostgreSQL, producer to consumer, measured
// side by side in one run:
//   - paver: @paver/events as a service runs it (`serviceEvents`): `enqueueEvent` in a committed
//     transaction, the outbox relay woken by the commit's NOTIFY publishing it (Nats-Msg-Id), a
//     durable consumer handling it once (its inbox row in the handler's transaction);
//   - paver, polling only: the same without the LISTEN connection (0.1.0's relay, 200 ms polls);
//   - bare: the stock way without an outbox or inbox: `js.publish` after the commit, a durable
//     pull consumer that acks, on the same server;
// rounds interleaved so drift on a noisy machine hits both. Latency is from before the
// producer's transaction begins to the handler's commit (paver) or ack (bare).
//
//   ./paverw yarn tsx bench/events/run.ts                     5 rounds of 200 events each
//   ./paverw yarn tsx bench/events/run.ts --rounds 5 --write  also rewrite RESULTS.md's table
//   ./paverw yarn tsx bench/events/run.ts --smoke             1 round of 20 (./paverw test)
import { randomUUID } from 'node:crypto';
import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  enqueueEvent,
  eventStream,
  migrateEvents,
  startConsumer,
  startOutboxRelay,
  type RelayOptions,
} from '@paver/events';
// Not @paver/events/testing's index, which is for vitest (it reads the run's NATS).
import { startNats } from '@paver/events/testing/nats';
import { createDatabase, type Database } from '@paver/service-runtime';
import { startPostgres } from '@paver/test-utils';
import path from 'node:path';
import { flag, numberArg } from '../args';
import { writeTable } from '../results';
import { median, quantile } from '../stats';

const SMOKE = flag('smoke');
const ROUNDS = SMOKE ? 1 : numberArg('rounds', 5);
const EVENTS = SMOKE ? 20 : numberArg('events', 200);

/**
 * Resolves when `id` is handled; one pending event at a time, so latency is the round trip. An
 * event may be handled before its producer's code has resumed after the commit (the relay woke on
 * it), so an arrival nobody awaits yet is kept for the `expect` that follows.
 */
class Arrivals {
  private waiting = new Map<string, () => void>();
  private early = new Set<string>();
  expect(id: string): Promise<void> {
    if (this.early.delete(id)) return Promise.resolve();
    return new Promise(resolve => this.waiting.set(id, resolve));
  }
  arrived(id: string): void {
    const waiter = this.waiting.get(id);
    if (waiter) {
      this.waiting.delete(id);
      waiter();
    } else {
      this.early.add(id);
    }
  }
}

async function paverRoundTrips(
  db: Database,
  nc: NatsConnection,
  n: number,
  wakeOn?: RelayOptions['wakeOn'],
) {
  const source = `bench-paver-${randomUUID().slice(0, 8)}`;
  const arrivals = new Arrivals();
  const relay = await startOutboxRelay({ db, nats: nc, source, wakeOn });
  const consumer = await startConsumer({
    db,
    nats: nc,
    consumer: 'bench-consumer',
    source,
    type: 'thing.happened',
    version: 1,
    handle: async event => arrivals.arrived(event.id),
  });
  const latencies: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const started = performance.now();
      const event = await db.transaction(tx =>
        enqueueEvent(tx, {
          source,
          type: 'thing.happened',
          version: 1,
          data: { i },
        }),
      );
      await arrivals.expect(event.id);
      latencies.push(performance.now() - started);
    }
  } finally {
    await consumer.stop();
    await relay.stop();
  }
  return latencies;
}

async function bareRoundTrips(db: Database, nc: NatsConnection, n: number) {
  const source = `bench-bare-${randomUUID().slice(0, 8)}`;
  const subject = `${source}.thing.happened.v1`;
  const stream = eventStream(source);
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: stream, subjects: [`${source}.>`] });
  await jsm.consumers.add(stream, {
    durable_name: 'bench-consumer',
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: subject,
  });
  const js = jetstream(nc);
  const messages = await (
    await js.consumers.get(stream, 'bench-consumer')
  ).consume();
  const arrivals = new Arrivals();
  const reading = (async () => {
    for await (const msg of messages) {
      msg.ack();
      arrivals.arrived(msg.string());
    }
  })();
  const latencies: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const id = randomUUID();
      const started = performance.now();
      // The same write the paver side commits, minus the outbox row.
      await db.transaction(tx => tx.query('SELECT 1'));
      const arrived = arrivals.expect(id);
      await js.publish(subject, id, { msgID: id });
      await arrived;
      latencies.push(performance.now() - started);
    }
  } finally {
    await messages.close();
    await reading;
    await jsm.streams.delete(stream);
  }
  return latencies;
}

const ms = (x: number) => x.toFixed(1);

async function main() {
  const [postgres, nats] = await Promise.all([startPostgres(), startNats()]);
  const db = createDatabase({
    connectionString: postgres.connectionString,
    schema: 'bench_events',
  });
  const nc = await connect({ servers: nats.url });
  const paver: number[] = [];
  const polling: number[] = [];
  const bare: number[] = [];
  const wakeOn = {
    connectionString: postgres.connectionString,
    schema: 'bench_events',
  };
  try {
    await migrateEvents(db);
    for (let round = 0; round < ROUNDS; round++) {
      paver.push(...(await paverRoundTrips(db, nc, EVENTS, wakeOn)));
      polling.push(...(await paverRoundTrips(db, nc, EVENTS)));
      bare.push(...(await bareRoundTrips(db, nc, EVENTS)));
      console.error(`[bench:events] round ${round + 1} of ${ROUNDS} done`);
    }
  } finally {
    await nc.close();
    await db.close();
    await Promise.all([postgres.stop(), nats.stop()]);
  }
  const row = (name: string, xs: number[]) =>
    `| ${name} | ${xs.length} | ${ms(median(xs))} | ${ms(
      quantile(xs, 0.99),
    )} | ${ms(Math.max(...xs))} |`;
  const table = [
    '| path | events | p50 ms | p99 ms | max ms |',
    '| ---- | ------ | ------ | ------ | ------ |',
    row(
      '@paver/events (outbox, relay woken on commit, consumer, inbox)',
      paver,
    ),
    row('@paver/events, relay polling only (0.1.0)', polling),
    row('bare JetStream (publish after commit, durable consumer, ack)', bare),
  ].join('\n');
  console.log(table);
  if (SMOKE)
    console.log(
      `smoke: ${
        paver.length + polling.length + bare.length
      } round trips measured`,
    );
  if (flag('write')) writeTable(path.join(__dirname, 'RESULTS.md'), table);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});

import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  jetstream,
  jetstreamManager,
  ReplayPolicy,
  type ConsumerConfig,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import {
  ConfigError,
  errorMessage,
  type Db,
  type Logger,
} from '@paver/service-runtime';
import type { EventContract } from './contract.js';
import { deliveryReceiver, type EventHandler } from './delivery.js';
import { eventStream, eventSubject } from './envelope.js';
import { EventContractError } from './errors.js';
import {
  addOrUpdate,
  ensureDeadLetterStream,
  ensureEventStream,
} from './streams.js';

export interface ConsumerOptions {
  db: Db;
  nats: NatsConnection;
  /** The consuming service, e.g. `notification-service`. */
  consumer: string;
  /** The producer, its event type and the version of it this consumer reads. */
  source: string;
  type: string;
  version: number;
  handle: EventHandler;
  /**
   * The consumer's AsyncAPI document: it must declare a receive operation on the event's subject,
   * and an event whose data is not that operation's payload is dead-lettered at once.
   */
  contract?: EventContract;
  /** Deliveries before an event is dead-lettered. @default 5 */
  maxDeliver?: number;
  /** Pause before each redelivery after a failure, in ms; the last repeats. @default [1000, 10000, 60000, 300000] */
  backoffMs?: number[];
  /** How long a delivery may go unanswered before JetStream redelivers it. @default 30000 */
  ackWaitMs?: number;
  logger?: Logger;
}

export interface RunningConsumer {
  /** The durable consumer's name, which is also its key in the inbox. */
  readonly durable: string;
  /** Finishes the event in hand, then resolves. */
  stop(): Promise<void>;
}

const DEFAULT_BACKOFF_MS = [1_000, 10_000, 60_000, 300_000];
/** `notification-service-invoice-issued-v1`: durable names may not hold dots. */
export const durableName = (consumer: string, type: string, version: number) =>
  `${consumer}-${type.replaceAll('.', '-')}-v${version}`;

function settings(options: ConsumerOptions) {
  const maxDeliver = options.maxDeliver ?? 5;
  const backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  const ackWaitMs = options.ackWaitMs ?? 30_000;
  if (!Number.isInteger(maxDeliver) || maxDeliver < 1) {
    throw new ConfigError(
      `consumer ${options.consumer}: maxDeliver must be a whole number from 1, got ${maxDeliver}`,
    );
  }
  if (backoffMs.length === 0 || backoffMs.some(ms => !(ms >= 0))) {
    throw new ConfigError(
      `consumer ${options.consumer}: backoffMs must list pauses of 0 ms or more`,
    );
  }
  return { maxDeliver, backoffMs, ackWaitMs };
}

/**
 * The durable pull consumer: explicit acks, bounded deliveries, and (for deliveries that time
 * out, as when the process dies mid-event) the same growing pauses, never shorter than the ack
 * wait. JetStream wants fewer pauses than deliveries.
 */
function consumerConfig(
  durable: string,
  subject: string,
  subscribedAt: Date,
  { maxDeliver, backoffMs, ackWaitMs }: ReturnType<typeof settings>,
): ConsumerConfig & { durable_name: string } {
  return {
    durable_name: durable,
    filter_subject: subject,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.StartTime,
    opt_start_time: subscribedAt.toISOString(),
    replay_policy: ReplayPolicy.Instant,
    max_deliver: maxDeliver,
    ack_wait: nanos(ackWaitMs),
    backoff: backoffMs
      .slice(0, maxDeliver - 1)
      .map(ms => nanos(Math.max(ms, ackWaitMs))),
  };
}

/**
 * When this ledger's durable first subscribed (recorded on its first start). Reading from then
 * on, a consumer deployed after its producer skips the stream's history rather than answering
 * a week of old events, and a durable NATS lost resumes from the same point.
 */
async function subscribedSince(db: Db, durable: string): Promise<Date> {
  await db.query(
    'INSERT INTO paver_consumers (durable) VALUES ($1) ON CONFLICT (durable) DO NOTHING',
    [durable],
  );
  const [row] = await db.query<{ subscribed_at: Date }>(
    'SELECT subscribed_at FROM paver_consumers WHERE durable = $1',
    [durable],
  );
  return row.subscribed_at;
}

/** Creates the durable consumer, or brings an existing one to this config. */
function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  config: ConsumerConfig & { durable_name: string },
): Promise<void> {
  const { durable_name, ...update } = config;
  return addOrUpdate({
    info: () => jsm.consumers.info(stream, durable_name),
    notFound: JetStreamApiCodes.ConsumerNotFound,
    add: () => jsm.consumers.add(stream, config),
    update: () => jsm.consumers.update(stream, durable_name, update),
  });
}

function requireReceiver(
  contract: EventContract,
  subject: string,
  consumer: string,
): void {
  const declared = contract.events.some(
    event => event.action === 'receive' && event.subject === subject,
  );
  if (!declared) {
    throw new EventContractError(contract.file, [
      `declares no receive operation on ${subject}, which ${consumer} consumes`,
    ]);
  }
}

/**
 * Reads one event type of one version from its producer's stream through a durable consumer.
 * Each event is handled once: its id goes into the inbox in the handler's transaction, and a
 * redelivered id is acknowledged without calling the handler again. A failing handler is retried
 * after the configured pauses up to `maxDeliver` deliveries, then the event is dead-lettered
 * (`dead-letter.<durable>.<subject>`) and the consumer goes on; a message that is not an event
 * envelope is dead-lettered at once. The handler runs in a span continuing the producer's trace.
 */
export async function startConsumer(
  options: ConsumerOptions,
): Promise<RunningConsumer> {
  const limits = settings(options);
  const subject = eventSubject(options.source, options.type, options.version);
  if (options.contract) {
    requireReceiver(options.contract, subject, options.consumer);
  }
  const stream = eventStream(options.source);
  const durable = durableName(options.consumer, options.type, options.version);
  const jsm = await jetstreamManager(options.nats);
  await ensureEventStream(jsm, options.source);
  await ensureDeadLetterStream(jsm);
  const since = await subscribedSince(options.db, durable);
  await ensureConsumer(
    jsm,
    stream,
    consumerConfig(durable, subject, since, limits),
  );
  const js = jetstream(options.nats);
  const messages = await (
    await js.consumers.get(stream, durable)
  ).consume({ max_messages: 16 });

  const receive = deliveryReceiver({
    ...options,
    ...limits,
    js,
    subject,
    durable,
  });

  const loop = (async () => {
    for await (const msg of messages) {
      try {
        await receive(msg);
      } catch (error) {
        // The database or NATS went away mid-event: leave it unacknowledged, JetStream redelivers.
        options.logger?.warn(
          { subject: msg.subject, seq: msg.seq, reason: errorMessage(error) },
          'event left for redelivery',
        );
      }
    }
  })();

  return {
    durable,
    async stop() {
      await messages.close();
      await loop;
    },
  };
}

import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import {
  errorMessage,
  SpanKind,
  withSpan,
  type Db,
  type Logger,
  type TraceCarrier,
} from '@paver/service-runtime';
import type { EventContract } from './contract.js';
import { parseEnvelope, type EventEnvelope } from './envelope.js';
import { EventPayloadError, MalformedEventError } from './errors.js';
import { deadLetterSubject, traceHeaders } from './streams.js';

export interface HandlerContext {
  /** The transaction the inbox row is written in: the handler's writes commit with it. */
  tx: Db;
  subject: string;
  /** 1 on the first delivery. */
  deliveryCount: number;
}

export type EventHandler = (
  event: EventEnvelope,
  context: HandlerContext,
) => Promise<void>;

/** What one durable consumer needs to settle each delivery. */
export interface DeliverySettings {
  db: Db;
  /** When given, an event whose data is not the contract's payload is dead-lettered at once. */
  contract?: EventContract;
  js: JetStreamClient;
  handle: EventHandler;
  subject: string;
  durable: string;
  maxDeliver: number;
  backoffMs: number[];
  ackWaitMs: number;
  logger?: Logger;
}

export const DEAD_LETTER_REASON = 'Paver-Dead-Letter-Reason';

function carrierOf(msg: JsMsg): TraceCarrier {
  const carrier: TraceCarrier = {};
  for (const key of ['traceparent', 'tracestate']) {
    const value = msg.headers?.get(key);
    if (value) carrier[key] = value;
  }
  return carrier;
}

async function deadLetter(
  settings: DeliverySettings,
  msg: JsMsg,
  reason: string,
): Promise<void> {
  const carried = traceHeaders(carrierOf(msg), {
    [DEAD_LETTER_REASON]: reason,
  });
  await settings.js.publish(
    deadLetterSubject(settings.durable, msg.subject),
    msg.data,
    // Durable names are unique per stream only: the stream makes the id unique on the account.
    {
      msgID: `${msg.info.stream}:${settings.durable}:${msg.seq}`,
      headers: carried,
    },
  );
  msg.term(reason);
  settings.logger?.error(
    { subject: msg.subject, seq: msg.seq, reason },
    'event dead-lettered',
  );
}

/** The inbox row and the handler's writes in one transaction; a known id skips the handler. */
function handleOnce(
  settings: DeliverySettings,
  msg: JsMsg,
  event: EventEnvelope,
): Promise<void> {
  return settings.db.transaction(async tx => {
    const fresh = await tx.query(
      `INSERT INTO paver_inbox (consumer, event_id, subject) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING event_id`,
      [settings.durable, event.id, msg.subject],
    );
    if (fresh.length === 0) return;
    await settings.handle(event, {
      tx,
      subject: msg.subject,
      deliveryCount: msg.info.deliveryCount,
    });
  });
}

/** A failed delivery: redelivered after its pause, or dead-lettered once the bound is reached. */
async function settleFailure(
  settings: DeliverySettings,
  msg: JsMsg,
  event: EventEnvelope,
  error: unknown,
): Promise<void> {
  const count = msg.info.deliveryCount;
  if (count >= settings.maxDeliver) {
    await deadLetter(
      settings,
      msg,
      `failed ${count} times: ${errorMessage(error)}`,
    );
    return;
  }
  const pauses = settings.backoffMs;
  const delayMs = pauses[Math.min(count, pauses.length) - 1];
  settings.logger?.warn(
    {
      subject: msg.subject,
      eventId: event.id,
      delivery: count,
      retryInMs: delayMs,
      reason: errorMessage(error),
    },
    'event handler failed; redelivering',
  );
  msg.nak(delayMs);
}

/**
 * Settles one delivery: a message that is not an event envelope is dead-lettered at once; an
 * event is handled once (in a span continuing the producer's trace) and acknowledged, or retried
 * after its pause, or dead-lettered after `maxDeliver` deliveries.
 */
export function deliveryReceiver(
  settings: DeliverySettings,
): (msg: JsMsg) => Promise<void> {
  return async msg => {
    let event: EventEnvelope;
    try {
      event = parseEnvelope(msg.string());
      settings.contract?.check('receive', msg.subject, event.data);
    } catch (error) {
      if (error instanceof MalformedEventError) {
        await deadLetter(settings, msg, `malformed: ${error.message}`);
        return;
      }
      if (error instanceof EventPayloadError) {
        await deadLetter(
          settings,
          msg,
          `outside the contract: ${error.message}`,
        );
        return;
      }
      throw error;
    }
    // Tell JetStream the event is being worked on, so a slow handler is not redelivered meanwhile.
    const heartbeat = setInterval(() => msg.working(), settings.ackWaitMs / 3);
    try {
      await withSpan(
        `${settings.subject} process`,
        {
          'messaging.system': 'nats',
          'messaging.destination.name': settings.subject,
        },
        () => handleOnce(settings, msg, event),
        { parent: carrierOf(msg), kind: SpanKind.CONSUMER },
      );
      msg.ack();
    } catch (error) {
      await settleFailure(settings, msg, event, error);
    } finally {
      clearInterval(heartbeat);
    }
  };
}

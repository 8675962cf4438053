import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import {
  eventStream,
  eventSubject,
  newEnvelope,
  parseEnvelope,
  type EventEnvelope,
  type NewEvent,
} from '../envelope.js';
import { ensureEventStream } from '../streams.js';

/** What reached one subject's stream, as a test reads it. */
export interface PublishedEvents {
  /** The first event for which `match` holds, waiting for it up to `timeoutMs` (default 10 s). */
  find(
    match: (event: EventEnvelope) => boolean,
    timeoutMs?: number,
  ): Promise<EventEnvelope>;
  close(): Promise<void>;
}

/**
 * Reads `subject` (`auth-service.user.registered.v1`) from its producer's stream, from the first
 * message on, through an ordered consumer: the service's durable consumers are left alone.
 */
export async function publishedEvents(
  url: string,
  subject: string,
): Promise<PublishedEvents> {
  const nc = await connect({ servers: url });
  const source = subject.slice(0, subject.indexOf('.'));
  const consumer = await jetstream(nc).consumers.get(eventStream(source), {
    filter_subjects: subject,
  });
  const messages = await consumer.consume();
  const seen: EventEnvelope[] = [];
  const arrivals = new Set<() => void>();
  const reading = (async () => {
    for await (const message of messages) {
      seen.push(parseEnvelope(message.string()));
      arrivals.forEach(arrived => arrived());
    }
  })();

  return {
    async find(match, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = seen.find(match);
        if (found) return found;
        const left = deadline - Date.now();
        if (left <= 0) {
          throw new Error(
            `no matching event on ${subject} within ${timeoutMs} ms (${seen.length} other events read)`,
          );
        }
        await new Promise<void>(resolve => {
          const arrived = () => {
            clearTimeout(timer);
            arrivals.delete(arrived);
            resolve();
          };
          const timer = setTimeout(arrived, left);
          arrivals.add(arrived);
        });
      }
    },
    async close() {
      await messages.close();
      await reading;
      await nc.close();
    },
  };
}

/**
 * Publishes one event as its producer's relay would (its envelope on `<source>.<type>.v<version>`,
 * `Nats-Msg-Id` its id, into the producer's stream, created if need be), for a consumer's tests
 * that have no producer running. Resolves with the envelope once JetStream has stored it.
 */
export async function publishEvent<T>(
  url: string,
  event: NewEvent<T>,
): Promise<EventEnvelope<T>> {
  const nc = await connect({ servers: url });
  try {
    await ensureEventStream(await jetstreamManager(nc), event.source);
    const envelope = newEnvelope(event);
    await jetstream(nc).publish(
      eventSubject(event.source, event.type, event.version),
      JSON.stringify(envelope),
      { msgID: envelope.id },
    );
    return envelope;
  } finally {
    await nc.close();
  }
}

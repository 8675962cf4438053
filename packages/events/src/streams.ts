import {
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { eventStream } from './envelope.js';

/**
 * How long JetStream remembers a `Nats-Msg-Id`: a relay that published and died before marking
 * its rows republishes them within seconds, well inside it.
 */
export const DUPLICATE_WINDOW_MS = 10 * 60_000;
const RETAIN_MS = 7 * 24 * 3_600_000;

/** Where events no consumer could handle go: `dead-letter.<consumer>.<original subject>`. */
export const DEAD_LETTER_STREAM = 'EVENTS-dead-letter';
export const deadLetterSubject = (consumer: string, subject: string) =>
  `dead-letter.${consumer}.${subject}`;

function isNotFound(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError &&
    error.code === JetStreamApiCodes.StreamNotFound
  );
}

/** Creates the stream, or brings an existing one to this config (subjects, windows, limits). */
async function ensureStream(
  jsm: JetStreamManager,
  config: Partial<StreamConfig> & { name: string },
): Promise<void> {
  try {
    await jsm.streams.info(config.name);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await jsm.streams.add(config);
    return;
  }
  const { name, ...update } = config;
  await jsm.streams.update(name, update);
}

/** The stream of every event `source` publishes (`<source>.>`), on disk, deduplicated. */
export function ensureEventStream(
  jsm: JetStreamManager,
  source: string,
): Promise<void> {
  return ensureStream(jsm, {
    name: eventStream(source),
    subjects: [`${source}.>`],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    max_age: nanos(RETAIN_MS),
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
  });
}

/** The dead-letter stream every consumer shares, kept until someone looks. */
export function ensureDeadLetterStream(jsm: JetStreamManager): Promise<void> {
  return ensureStream(jsm, {
    name: DEAD_LETTER_STREAM,
    subjects: ['dead-letter.>'],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
  });
}

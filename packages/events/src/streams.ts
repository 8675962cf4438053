import {
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { headers, nanos, type MsgHdrs } from '@nats-io/transport-node';
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

/**
 * Makes a stream or consumer exist with a config, whoever starts first and however often:
 * `info`, then `add` when JetStream answers `notFound`, else `update` to the config.
 */
export async function addOrUpdate(steps: {
  info(): Promise<unknown>;
  notFound: JetStreamApiCodes;
  add(): Promise<unknown>;
  update(): Promise<unknown>;
}): Promise<void> {
  try {
    await steps.info();
  } catch (error) {
    const missing =
      error instanceof JetStreamApiError && error.code === steps.notFound;
    if (!missing) throw error;
    await steps.add();
    return;
  }
  await steps.update();
}

/** Creates the stream, or brings an existing one to this config (subjects, windows, limits). */
function ensureStream(
  jsm: JetStreamManager,
  config: Partial<StreamConfig> & { name: string },
): Promise<void> {
  const { name, ...update } = config;
  return addOrUpdate({
    info: () => jsm.streams.info(name),
    notFound: JetStreamApiCodes.StreamNotFound,
    add: () => jsm.streams.add(config),
    update: () => jsm.streams.update(name, update),
  });
}

/** NATS headers carrying a stored or received trace context, plus any others given. */
export function traceHeaders(
  carrier: Record<string, string>,
  extra: Record<string, string> = {},
): MsgHdrs {
  const carried = headers();
  for (const [key, value] of Object.entries({ ...carrier, ...extra })) {
    carried.set(key, value);
  }
  return carried;
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

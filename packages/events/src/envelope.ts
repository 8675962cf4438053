import { randomUUID } from 'node:crypto';
import { ConfigError } from '@paver/service-runtime';
import { MalformedEventError } from './errors.js';

/**
 * An event as it travels: a CloudEvents 1.0 envelope in JSON (structured mode), so any
 * CloudEvents reader understands it. `dataversion` is the version of `data`'s schema; a breaking
 * change to the schema is a new version published on its own subject beside the old one, so a
 * consumer of the older version keeps working.
 */
export interface EventEnvelope<T = unknown> {
  specversion: '1.0';
  id: string;
  /** The producing service, e.g. `billing-service`. */
  source: string;
  /** What happened, e.g. `invoice.issued`. */
  type: string;
  dataversion: number;
  time: string;
  datacontenttype: 'application/json';
  data: T;
}

/** What a producer names; the id and time are filled in. */
export interface NewEvent<T = unknown> {
  source: string;
  type: string;
  version: number;
  data: T;
}

const NAME = /^[a-z][a-z0-9-]*$/;
const TYPE = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

/** `<source>.<type>.v<version>`: `billing-service.invoice.issued.v1`. */
export function eventSubject(
  source: string,
  type: string,
  version: number,
): string {
  if (!NAME.test(source)) {
    throw new ConfigError(
      `event source "${source}" must be a service name (lower case, digits and dashes)`,
    );
  }
  if (!TYPE.test(type)) {
    throw new ConfigError(
      `event type "${type}" must be dotted lower-case words, e.g. invoice.issued`,
    );
  }
  if (!Number.isInteger(version) || version < 1) {
    throw new ConfigError(
      `event ${type}: version must be a whole number from 1, got ${version}`,
    );
  }
  return `${source}.${type}.v${version}`;
}

/** The JetStream stream holding every event a service publishes: `EVENTS-<source>`. */
export function eventStream(source: string): string {
  eventSubject(source, 'stream.name', 1);
  return `EVENTS-${source}`;
}

export function newEnvelope<T>(event: NewEvent<T>): EventEnvelope<T> {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: event.source,
    type: event.type,
    dataversion: event.version,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: event.data,
  };
}

const REQUIRED = ['id', 'source', 'type', 'time'] as const;

/** Reads a message body as an envelope; anything else is a {@link MalformedEventError}. */
export function parseEnvelope(body: string): EventEnvelope {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new MalformedEventError('the message body is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MalformedEventError('the message body is not a JSON object');
  }
  const envelope = value as Record<string, unknown>;
  if (envelope.specversion !== '1.0') {
    throw new MalformedEventError('specversion must be "1.0"');
  }
  for (const field of REQUIRED) {
    if (typeof envelope[field] !== 'string' || envelope[field] === '') {
      throw new MalformedEventError(`${field} must be a non-empty string`);
    }
  }
  if (!Number.isInteger(envelope.dataversion)) {
    throw new MalformedEventError('dataversion must be a whole number');
  }
  if (!('data' in envelope)) throw new MalformedEventError('data is missing');
  return envelope as unknown as EventEnvelope;
}

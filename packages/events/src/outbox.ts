import { fileURLToPath } from 'node:url';
import {
  migrate,
  traceCarrier,
  type Database,
  type Db,
} from '@paver/service-runtime';
import type { EventContract } from './contract.js';
import {
  eventSubject,
  newEnvelope,
  type EventEnvelope,
  type NewEvent,
} from './envelope.js';
import { EventContractError } from './errors.js';

/** The outbox and inbox tables, shipped with this package (`migrations/001_paver_events.sql`). */
export const EVENTS_MIGRATIONS_DIR = fileURLToPath(
  new URL('../migrations', import.meta.url),
);

/** The NOTIFY channel a committed enqueue signals on, with the schema as its payload. */
export const OUTBOX_CHANNEL = 'paver_outbox';

/**
 * Creates the outbox and inbox tables in the service's schema, in the service's own migration
 * ledger (file names are the ledger's keys, so they sit beside the service's `001_…` files).
 */
export function migrateEvents(db: Database): Promise<string[]> {
  return migrate(db, EVENTS_MIGRATIONS_DIR);
}

/**
 * Writes an event to the outbox inside the caller's transaction, so it is published exactly when
 * the change it announces commits. The active trace context goes with it: the consumer's span
 * continues the trace that enqueued it.
 */
export async function enqueueEvent<T>(
  tx: Db,
  event: NewEvent<T>,
): Promise<EventEnvelope<T>> {
  const subject = eventSubject(event.source, event.type, event.version);
  const envelope = newEnvelope(event);
  await tx.query(
    `INSERT INTO paver_outbox (id, subject, envelope, trace_carrier) VALUES ($1, $2, $3, $4)`,
    [
      envelope.id,
      subject,
      JSON.stringify(envelope),
      JSON.stringify(traceCarrier()),
    ],
  );
  // Delivered when the transaction commits (and never if it rolls back): the relay wakes at once.
  await tx.query(`SELECT pg_notify($1, current_schema())`, [OUTBOX_CHANNEL]);
  return envelope;
}

/** A service's producer, bound to its AsyncAPI document: it enqueues only what the contract sends. */
export interface EventProducer {
  /** {@link enqueueEvent}, after checking `data` against the contract's payload for the event. */
  enqueue<T>(
    tx: Db,
    type: string,
    version: number,
    data: T,
  ): Promise<EventEnvelope<T>>;
}

/**
 * The producer of `source`'s events as its contract declares them. Every send operation of the
 * contract must be on one of `source`'s own subjects: a service publishes only its own events.
 */
export function eventProducer(
  source: string,
  contract: EventContract,
): EventProducer {
  const foreign = contract.events.filter(
    event => event.action === 'send' && event.source !== source,
  );
  if (foreign.length > 0) {
    throw new EventContractError(
      contract.file,
      foreign.map(
        event =>
          `${event.subject} is not an event of ${source}: it may only send ${source}.*`,
      ),
    );
  }
  return {
    enqueue(tx, type, version, data) {
      contract.check('send', eventSubject(source, type, version), data);
      return enqueueEvent(tx, { source, type, version, data });
    },
  };
}

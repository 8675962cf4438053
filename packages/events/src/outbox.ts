import { fileURLToPath } from 'node:url';
import {
  migrate,
  traceCarrier,
  type Database,
  type Db,
} from '@paver/service-runtime';
import {
  eventSubject,
  newEnvelope,
  type EventEnvelope,
  type NewEvent,
} from './envelope.js';

/** The outbox and inbox tables, shipped with this package (`migrations/001_paver_events.sql`). */
export const EVENTS_MIGRATIONS_DIR = fileURLToPath(
  new URL('../migrations', import.meta.url),
);

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
  return envelope;
}

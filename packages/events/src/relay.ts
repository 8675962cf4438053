import { setTimeout as sleep } from 'node:timers/promises';
import {
  jetstream,
  jetstreamManager,
  type JetStreamClient,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { errorMessage, type Db, type Logger } from '@paver/service-runtime';
import { ensureEventStream, traceHeaders } from './streams.js';

export interface RelayOptions {
  db: Db;
  nats: NatsConnection;
  /** The producing service: the relay makes sure its stream exists. */
  source: string;
  logger?: Logger;
  /** Rows published per transaction. @default 100 */
  batchSize?: number;
  /** How often an idle relay looks for new rows, in ms. @default 200 */
  pollMs?: number;
}

interface OutboxRow {
  id: string;
  subject: string;
  envelope: string;
  trace_carrier: Record<string, string>;
}

const DEFAULT_BATCH_SIZE = 100;

/**
 * Publishes up to `batchSize` unpublished outbox rows in order, each with `Nats-Msg-Id` set to
 * its id, and marks them published in the same transaction. A relay that dies in between
 * publishes the rows again and JetStream drops them as duplicates; two relays (replicas) never
 * take the same rows (`SKIP LOCKED`). Returns how many rows it published.
 */
export function relayBatch(
  options: Pick<RelayOptions, 'db' | 'nats' | 'batchSize'>,
): Promise<number> {
  return publishBatch(
    options.db,
    jetstream(options.nats),
    options.batchSize ?? DEFAULT_BATCH_SIZE,
  );
}

function publishBatch(
  db: Db,
  js: JetStreamClient,
  batchSize: number,
): Promise<number> {
  return db.transaction(async tx => {
    const rows = await tx.query<OutboxRow>(
      `SELECT id, subject, envelope::text AS envelope, trace_carrier FROM paver_outbox
        WHERE published_at IS NULL ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [batchSize],
    );
    for (const row of rows) {
      await js.publish(row.subject, row.envelope, {
        msgID: row.id,
        headers: traceHeaders(row.trace_carrier),
      });
    }
    if (rows.length > 0) {
      await tx.query(
        'UPDATE paver_outbox SET published_at = clock_timestamp() WHERE id = ANY($1::uuid[])',
        [rows.map(row => row.id)],
      );
    }
    return rows.length;
  });
}

export interface RunningRelay {
  /** Finishes the batch in flight, then resolves. */
  stop(): Promise<void>;
}

const MAX_RETRY_MS = 5_000;

/**
 * Runs {@link relayBatch} until stopped: at once while rows are waiting, every `pollMs` when
 * idle, and with a growing pause (to 5 s) while NATS or the database is away, so it resumes by
 * itself when they return.
 */
export async function startOutboxRelay(
  options: RelayOptions,
): Promise<RunningRelay> {
  await ensureEventStream(await jetstreamManager(options.nats), options.source);
  const stopping = new AbortController();
  const pollMs = options.pollMs ?? 200;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const js = jetstream(options.nats);
  const pause = (ms: number) =>
    sleep(ms, undefined, { signal: stopping.signal }).catch(() => undefined);
  const loop = (async () => {
    let failures = 0;
    while (!stopping.signal.aborted) {
      try {
        const published = await publishBatch(options.db, js, batchSize);
        failures = 0;
        if (published < batchSize) await pause(pollMs);
      } catch (error) {
        failures += 1;
        const waitMs = Math.min(MAX_RETRY_MS, pollMs * 2 ** failures);
        options.logger?.warn(
          { reason: errorMessage(error), retryInMs: waitMs },
          'outbox relay could not publish; retrying',
        );
        await pause(waitMs);
      }
    }
  })();
  return {
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}

import { setTimeout as sleep } from 'node:timers/promises';
import {
  jetstream,
  jetstreamManager,
  type JetStreamClient,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { errorMessage, type Db, type Logger } from '@paver/service-runtime';
import pg from 'pg';
import { OUTBOX_CHANNEL } from './outbox.js';
import { ensureEventStream, traceHeaders } from './streams.js';

export interface RelayOptions {
  db: Db;
  nats: NatsConnection;
  /** The producing service: the relay makes sure its stream exists. */
  source: string;
  logger?: Logger;
  /** Rows published per transaction. @default 100 */
  batchSize?: number;
  /**
   * How often an idle relay looks for new rows, in ms. @default 200, or 1000 with `wakeOn`, when
   * polling only catches what a lost notification missed.
   */
  pollMs?: number;
  /**
   * The service's database and schema: the relay LISTENs on its own connection and publishes as
   * soon as a transaction that enqueued commits, rather than at its next poll.
   */
  wakeOn?: { connectionString: string; schema: string };
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
  const pollMs = options.pollMs ?? (options.wakeOn ? 1_000 : 200);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const js = jetstream(options.nats);
  const pause = (ms: number) =>
    sleep(ms, undefined, { signal: stopping.signal }).catch(() => undefined);
  const wakeUp = new WakeUp(stopping.signal);
  const listener = options.wakeOn
    ? await listenForCommits(
        options.wakeOn,
        () => wakeUp.ring(),
        options.logger,
      )
    : undefined;
  const loop = (async () => {
    let failures = 0;
    while (!stopping.signal.aborted) {
      try {
        wakeUp.reset();
        const published = await publishBatch(options.db, js, batchSize);
        failures = 0;
        if (published < batchSize) await wakeUp.wait(pollMs);
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
      await listener?.close();
    },
  };
}

/**
 * An idle relay's pause, cut short by a commit notification. One that arrives while a batch is
 * being published is kept, so the next pause ends at once instead of missing it.
 */
class WakeUp {
  private rung = false;
  private wake?: () => void;

  constructor(private readonly stopping: AbortSignal) {}

  ring(): void {
    this.rung = true;
    this.wake?.();
  }

  reset(): void {
    this.rung = false;
  }

  wait(ms: number): Promise<void> {
    if (this.rung || this.stopping.aborted) return Promise.resolve();
    return new Promise(resolve => {
      const done = () => {
        clearTimeout(timer);
        this.stopping.removeEventListener('abort', done);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.stopping.addEventListener('abort', done);
      this.wake = done;
    });
  }
}

/** The first wait before listening again after the LISTEN connection dropped; it doubles. */
const RELISTEN_MS = 500;

/**
 * LISTENs for the commits of enqueuing transactions in `schema`, on a connection of its own. If it
 * drops (a database restart, a terminated backend), the relay polls meanwhile and listens again
 * with a growing pause; `onCommit` is also called once it is back, for what committed unheard.
 */
async function listenForCommits(
  { connectionString, schema }: { connectionString: string; schema: string },
  onCommit: () => void,
  logger?: Logger,
): Promise<{ close(): Promise<void> }> {
  let closed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  const listen = async () => {
    const next = new pg.Client({ connectionString });
    next.on('notification', message => {
      if (message.payload === schema) onCommit();
    });
    // Until adopted, a failure is the rejected connect or query below.
    next.on('error', () => undefined);
    await next.connect();
    await next.query(`LISTEN ${OUTBOX_CHANNEL}`);
    return next;
  };
  const relisten = (waitMs: number, error: unknown) => {
    if (closed) return;
    logger?.warn(
      { reason: errorMessage(error), retryInMs: waitMs },
      'outbox relay lost its LISTEN connection; polling until it is back',
    );
    retry = setTimeout(() => {
      listen().then(
        back => {
          if (closed) {
            back.end().catch(() => undefined);
          } else {
            adopt(back);
            onCommit();
          }
        },
        failure => relisten(Math.min(waitMs * 2, MAX_RETRY_MS), failure),
      );
    }, waitMs);
  };
  const adopt = (listening: pg.Client) => {
    client = listening;
    let dropped = false;
    // An error is followed by 'end'; either means listening again, once.
    const drop = (error: unknown) => {
      if (dropped) return;
      dropped = true;
      listening.end().catch(() => undefined);
      relisten(RELISTEN_MS, error);
    };
    listening.removeAllListeners('error');
    listening.on('error', drop);
    listening.once('end', () => drop(new Error('the connection ended')));
  };
  adopt(await listen());
  return {
    close: async () => {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}

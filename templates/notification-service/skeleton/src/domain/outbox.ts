import { randomUUID } from 'node:crypto';
import { traceCarrier, type Db, type TraceCarrier } from '@paver/service-runtime';
import type { Channel, OutboundMessage } from './channels.js';

export type OutboxStatus = 'pending' | 'sent' | 'dead' | 'suppressed';

export interface NewOutboxMessage {
  readonly channel: Channel;
  readonly recipientId: string;
  readonly address: string | null;
  readonly subject: string | null;
  readonly body: string;
  readonly maxAttempts: number;
}

/** A message claimed by one dispatcher; `claimToken` proves the claim when recording the outcome. */
export interface ClaimedMessage extends OutboundMessage {
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly claimToken: string;
  /** The trace context the message was enqueued in; null when it was enqueued outside a trace. */
  readonly trace: TraceCarrier | null;
}

export interface OutboxEntry {
  readonly messageId: string;
  readonly channel: Channel;
  readonly recipientId: string;
  readonly status: OutboxStatus;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly nextAttemptAt: string;
  readonly lastError: string | null;
  readonly providerMessageId: string | null;
  readonly sentAt: string | null;
}

interface OutboxRow {
  message_id: string;
  channel: Channel;
  recipient_id: string;
  address: string | null;
  subject: string | null;
  body: string;
  status: OutboxStatus;
  attempts: number;
  max_attempts: number;
  next_attempt_at: Date;
  claim_token: string | null;
  last_error: string | null;
  provider_message_id: string | null;
  sent_at: Date | null;
  traceparent: string | null;
  tracestate: string | null;
}

/**
 * Writes a message to the outbox; call it inside the transaction that decided to send it. The
 * active trace context goes with the row, so its delivery later joins the enqueueing request's trace.
 */
export async function enqueue(tx: Db, message: NewOutboxMessage, now: Date): Promise<string> {
  const messageId = randomUUID();
  const { traceparent = null, tracestate = null } = traceCarrier();
  await tx.query(
    `INSERT INTO outbox (message_id, channel, recipient_id, address, subject, body, max_attempts, next_attempt_at, created_at,
       traceparent, tracestate)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10)`,
    [messageId, message.channel, message.recipientId, message.address, message.subject, message.body, message.maxAttempts, now,
      traceparent, tracestate],
  );
  return messageId;
}

/**
 * Claims up to `limit` due messages. SKIP LOCKED lets concurrent dispatchers take disjoint rows;
 * pushing next_attempt_at out by the lease hides a claimed row from everyone until the lease ends,
 * so a dispatcher that dies mid-send is recovered from once its lease expires.
 */
export async function claimDue(db: Db, now: Date, limit: number, leaseMs: number): Promise<ClaimedMessage[]> {
  const rows = await db.query<OutboxRow>(
    `UPDATE outbox SET claim_token = gen_random_uuid(), attempts = attempts + 1,
       next_attempt_at = $1::timestamptz + ($3 * interval '1 millisecond')
     WHERE message_id IN (
       SELECT message_id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1
       ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING *`,
    [now, limit, leaseMs],
  );
  return rows.map(row => ({
    messageId: row.message_id,
    channel: row.channel,
    recipientId: row.recipient_id,
    address: row.address,
    subject: row.subject,
    body: row.body,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    claimToken: row.claim_token!,
    trace: traceOf(row),
  }));
}

function traceOf(row: OutboxRow): TraceCarrier | null {
  if (!row.traceparent) return null;
  return row.tracestate ? { traceparent: row.traceparent, tracestate: row.tracestate } : { traceparent: row.traceparent };
}

/** Records an outcome if this claim is still current; false means another dispatcher took over. */
async function settle(db: Db, claim: ClaimedMessage, setSql: string, params: unknown[]): Promise<boolean> {
  const rows = await db.query<{ message_id: string }>(
    `UPDATE outbox SET ${setSql}, claim_token = NULL
     WHERE message_id = $1 AND claim_token = $2 AND status = 'pending' RETURNING message_id`,
    [claim.messageId, claim.claimToken, ...params],
  );
  return rows.length === 1;
}

export const markSent = (db: Db, claim: ClaimedMessage, providerMessageId: string, now: Date) =>
  settle(db, claim, `status = 'sent', provider_message_id = $3, sent_at = $4, last_error = NULL`, [providerMessageId, now]);

export const scheduleRetry = (db: Db, claim: ClaimedMessage, reason: string, at: Date) =>
  settle(db, claim, `last_error = $3, next_attempt_at = $4`, [reason, at]);

export const deadLetter = (db: Db, claim: ClaimedMessage, reason: string) =>
  settle(db, claim, `status = 'dead', last_error = $3`, [reason]);

export const markSuppressed = (db: Db, claim: ClaimedMessage, reason: string) =>
  settle(db, claim, `status = 'suppressed', last_error = $3`, [reason]);

export async function getOutboxEntry(db: Db, messageId: string): Promise<OutboxEntry | null> {
  const rows = await db.query<OutboxRow>('SELECT * FROM outbox WHERE message_id = $1', [messageId]);
  return rows[0] ? toEntry(rows[0]) : null;
}

export async function listDeadLetters(db: Db, limit: number): Promise<OutboxEntry[]> {
  const rows = await db.query<OutboxRow>(
    `SELECT * FROM outbox WHERE status = 'dead' ORDER BY created_at, message_id LIMIT $1`,
    [limit],
  );
  return rows.map(toEntry);
}

/** Puts a dead message back in the queue with a fresh attempt budget; null if it is not dead. */
export async function requeueDead(db: Db, messageId: string, now: Date): Promise<OutboxEntry | null> {
  const rows = await db.query<OutboxRow>(
    `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $2, claim_token = NULL
     WHERE message_id = $1 AND status = 'dead' RETURNING *`,
    [messageId, now],
  );
  return rows[0] ? toEntry(rows[0]) : null;
}

function toEntry(row: OutboxRow): OutboxEntry {
  return {
    messageId: row.message_id,
    channel: row.channel,
    recipientId: row.recipient_id,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    nextAttemptAt: row.next_attempt_at.toISOString(),
    lastError: row.last_error,
    providerMessageId: row.provider_message_id,
    sentAt: row.sent_at ? row.sent_at.toISOString() : null,
  };
}

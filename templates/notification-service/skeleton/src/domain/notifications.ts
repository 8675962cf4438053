import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '@paver/service-runtime';
import { CHANNELS, type Channel } from './channels.js';
import { joinOpenDigest } from './digests.js';
import { IdempotencyConflictError, InvalidRequestError, NotFoundError } from './errors.js';
import { oneOf, optionalString, parseIdentifier, parseLocale, requireObject, requireString } from './input.js';
import { enqueue } from './outbox.js';
import { addressFor, getRecipient } from './recipients.js';
import type { NotificationSettings } from './settings.js';
import { parseVariables, type TemplateVariables } from './template-text.js';
import { renderTemplate, resolveTemplate, type RenderedMessage } from './templates.js';

export const PRIORITIES = ['high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface NotificationRequest {
  readonly idempotencyKey: string;
  readonly recipientId: string;
  readonly channel: Channel;
  readonly templateKey: string;
  readonly locale: string | null;
  readonly priority: Priority;
  readonly variables: TemplateVariables;
  /** sha256 of the request, to tell a replay from a reused key. */
  readonly fingerprint: string;
}

/**
 * `queued`/`sent`/`dead` follow the outbox message; `batched` waits in an open digest;
 * `suppressed` means the recipient opted out of the channel.
 */
export type NotificationStatus = 'queued' | 'batched' | 'sent' | 'dead' | 'suppressed';

export interface NotificationView {
  readonly notificationId: string;
  readonly recipientId: string;
  readonly channel: Channel;
  readonly template: string;
  readonly locale: string;
  readonly priority: Priority;
  readonly status: NotificationStatus;
  readonly messageId: string | null;
  readonly digestId: string | null;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: string;
}

export interface AcceptResult {
  readonly notification: NotificationView;
  /** True when the Idempotency-Key was seen before with the same request. */
  readonly replayed: boolean;
}

export function parseNotificationRequest(idempotencyKey: string | undefined, body: unknown): NotificationRequest {
  if (idempotencyKey === undefined || idempotencyKey.trim() === '') {
    throw new InvalidRequestError('the Idempotency-Key header is required');
  }
  if (idempotencyKey.length > 255) throw new InvalidRequestError('the Idempotency-Key header must be at most 255 characters');
  const obj = requireObject(body);
  const locale = optionalString(obj, 'locale', 10);
  const request = {
    recipientId: parseIdentifier(requireString(obj, 'recipientId'), 'recipientId'),
    channel: oneOf(obj, 'channel', CHANNELS),
    templateKey: parseIdentifier(requireString(obj, 'template'), 'template'),
    locale: locale === null ? null : parseLocale(locale),
    priority: oneOf(obj, 'priority', PRIORITIES, 'normal'),
    variables: parseVariables(obj.variables),
  };
  return { ...request, idempotencyKey, fingerprint: fingerprintOf(request) };
}

/**
 * Accepts a notification: renders it now (so a missing variable is the caller's 422, not a dead
 * letter later) and, in one transaction, records it and either writes its message to the outbox,
 * adds it to the recipient's open digest (low priority), or records it as suppressed (opted out).
 */
export async function acceptNotification(
  db: Db,
  settings: NotificationSettings,
  request: NotificationRequest,
  now: Date,
): Promise<AcceptResult> {
  const earlier = await replayOf(db, request);
  if (earlier) return earlier;
  const prepared = await prepare(db, settings, request);
  const notificationId = await db.transaction(tx => record(tx, settings, request, prepared, now));
  // Undefined: a concurrent request with the same key committed first.
  if (notificationId === undefined) return (await replayOf(db, request))!;
  return { notification: await getNotification(db, notificationId), replayed: false };
}

/** What is decided before the transaction: the template used, the text, and where it goes. */
interface Prepared {
  readonly locale: string;
  readonly rendered: RenderedMessage;
  readonly suppressed: boolean;
  readonly address: string | null;
}

async function prepare(db: Db, settings: NotificationSettings, request: NotificationRequest): Promise<Prepared> {
  const recipient = await getRecipient(db, request.recipientId);
  const wanted = request.locale ?? recipient.locale ?? settings.defaultLocale;
  const template = await resolveTemplate(db, request.templateKey, request.channel, wanted, settings.defaultLocale);
  const rendered = renderTemplate(template, request.variables);
  const suppressed = recipient.optedOut.includes(request.channel);
  return { locale: template.locale, rendered, suppressed, address: suppressed ? null : addressFor(recipient, request.channel) };
}

/** Inserts the notification and its outbox row or digest entry; undefined if the key is taken. */
async function record(
  tx: Db,
  settings: NotificationSettings,
  request: NotificationRequest,
  { locale, rendered, suppressed, address }: Prepared,
  now: Date,
): Promise<string | undefined> {
  const inserted = await tx.query<{ notification_id: string }>(
    `INSERT INTO notifications (notification_id, idempotency_key, request_hash, recipient_id, channel, template_key,
       locale, priority, subject, body, suppressed, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING notification_id`,
    [randomUUID(), request.idempotencyKey, request.fingerprint, request.recipientId, request.channel,
      request.templateKey, locale, request.priority, rendered.subject, rendered.body, suppressed, now],
  );
  const id = inserted[0]?.notification_id;
  if (id === undefined || suppressed) return id;
  if (request.priority === 'low') {
    const digestId = await joinOpenDigest(tx, { recipientId: request.recipientId, channel: request.channel, locale }, settings, now);
    await tx.query('UPDATE notifications SET digest_id = $2 WHERE notification_id = $1', [id, digestId]);
  } else {
    const messageId = await enqueue(tx, { channel: request.channel, recipientId: request.recipientId, address,
      subject: rendered.subject, body: rendered.body, maxAttempts: settings.maxAttempts }, now);
    await tx.query('UPDATE notifications SET message_id = $2 WHERE notification_id = $1', [id, messageId]);
  }
  return id;
}

async function replayOf(db: Db, request: NotificationRequest): Promise<AcceptResult | null> {
  const rows = await db.query<{ notification_id: string; request_hash: string }>(
    'SELECT notification_id, request_hash FROM notifications WHERE idempotency_key = $1',
    [request.idempotencyKey],
  );
  if (!rows[0]) return null;
  if (rows[0].request_hash !== request.fingerprint) throw new IdempotencyConflictError(request.idempotencyKey);
  return { notification: await getNotification(db, rows[0].notification_id), replayed: true };
}

interface NotificationRow {
  notification_id: string;
  recipient_id: string;
  channel: Channel;
  template_key: string;
  locale: string;
  priority: Priority;
  suppressed: boolean;
  digest_id: string | null;
  digest_status: 'open' | 'closed' | null;
  message_id: string | null;
  outbox_status: 'pending' | 'sent' | 'dead' | 'suppressed' | null;
  attempts: number | null;
  last_error: string | null;
  created_at: Date;
}

export async function getNotification(db: Db, notificationId: string): Promise<NotificationView> {
  // A digested notification's message is its digest's message.
  const rows = await db.query<NotificationRow>(
    `SELECT n.notification_id, n.recipient_id, n.channel, n.template_key, n.locale, n.priority, n.suppressed,
            n.digest_id, d.status AS digest_status, o.message_id, o.status AS outbox_status, o.attempts,
            o.last_error, n.created_at
     FROM notifications n
     LEFT JOIN digests d ON d.digest_id = n.digest_id
     LEFT JOIN outbox o ON o.message_id = coalesce(n.message_id, d.message_id)
     WHERE n.notification_id = $1`,
    [notificationId],
  );
  const row = rows[0];
  if (!row) throw new NotFoundError(`notification '${notificationId}' does not exist`);
  return {
    notificationId: row.notification_id,
    recipientId: row.recipient_id,
    channel: row.channel,
    template: row.template_key,
    locale: row.locale,
    priority: row.priority,
    status: statusOf(row),
    messageId: row.message_id,
    digestId: row.digest_id,
    attempts: row.attempts ?? 0,
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
  };
}

function statusOf(row: NotificationRow): NotificationStatus {
  if (row.suppressed) return 'suppressed';
  if (row.digest_status === 'open') return 'batched';
  switch (row.outbox_status) {
    case 'sent': return 'sent';
    case 'dead': return 'dead';
    case 'pending': return 'queued';
    // A digest closed without a message, or a message stopped by a later opt-out.
    default: return 'suppressed';
  }
}

function fingerprintOf(request: Omit<NotificationRequest, 'idempotencyKey' | 'fingerprint'>): string {
  const variables = Object.fromEntries(Object.entries(request.variables).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(JSON.stringify({ ...request, variables })).digest('hex');
}

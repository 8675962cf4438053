import type { Db } from '@paver/service-runtime';
import { NotFoundError } from './errors.js';

/** An in-app message as the recipient's client lists it. */
export interface InboxMessage {
  readonly messageId: string;
  readonly subject: string | null;
  readonly body: string;
  readonly createdAt: string;
  readonly read: boolean;
  readonly readAt: string | null;
}

interface InboxRow {
  message_id: string;
  subject: string | null;
  body: string;
  created_at: Date;
  read_at: Date | null;
}

export interface InboxPage {
  readonly messages: InboxMessage[];
  readonly unreadCount: number;
}

/** Newest first; `unreadOnly` hides what was read. */
export async function listInbox(db: Db, recipientId: string, opts: { unreadOnly: boolean; limit: number }): Promise<InboxPage> {
  const rows = await db.query<InboxRow>(
    `SELECT message_id, subject, body, created_at, read_at FROM inbox
     WHERE recipient_id = $1 AND ($2::boolean = false OR read_at IS NULL)
     ORDER BY created_at DESC, message_id LIMIT $3`,
    [recipientId, opts.unreadOnly, opts.limit],
  );
  const [{ count }] = await db.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM inbox WHERE recipient_id = $1 AND read_at IS NULL',
    [recipientId],
  );
  return { messages: rows.map(toMessage), unreadCount: count };
}

/** Marks one of the recipient's messages read; the first read time is kept. */
export async function markRead(db: Db, recipientId: string, messageId: string, now: Date): Promise<InboxMessage> {
  const rows = await db.query<InboxRow>(
    `UPDATE inbox SET read_at = coalesce(read_at, $3) WHERE recipient_id = $1 AND message_id = $2
     RETURNING message_id, subject, body, created_at, read_at`,
    [recipientId, messageId, now],
  );
  if (!rows[0]) throw new NotFoundError(`recipient '${recipientId}' has no in-app message '${messageId}'`);
  return toMessage(rows[0]);
}

function toMessage(row: InboxRow): InboxMessage {
  return {
    messageId: row.message_id,
    subject: row.subject,
    body: row.body,
    createdAt: row.created_at.toISOString(),
    read: row.read_at !== null,
    readAt: row.read_at ? row.read_at.toISOString() : null,
  };
}

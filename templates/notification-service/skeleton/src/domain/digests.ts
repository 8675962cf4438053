import { randomUUID } from 'node:crypto';
import type { Db } from '@paver/service-runtime';
import type { Channel } from './channels.js';
import { enqueue } from './outbox.js';
import { getRecipient } from './recipients.js';
import type { NotificationSettings } from './settings.js';
import { DIGEST_TEMPLATE_KEY, findTemplate, renderTemplate, type MessageTemplate } from './templates.js';

const BUILT_IN_DIGEST = {
  subject: 'You have {{count}} new notifications',
  body: '{{items}}',
};

interface DigestKey {
  readonly recipientId: string;
  readonly channel: Channel;
  readonly locale: string;
}

/**
 * Returns the recipient's open digest for the channel, opening one due a period from now.
 * The partial unique index makes concurrent callers share one digest; once a flush closes it,
 * the row leaves that index and the next notification opens a fresh digest.
 */
export async function joinOpenDigest(tx: Db, key: DigestKey, settings: NotificationSettings, now: Date): Promise<string> {
  const rows = await tx.query<{ digest_id: string }>(
    `INSERT INTO digests (digest_id, recipient_id, channel, locale, opened_at, due_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (recipient_id, channel) WHERE status = 'open'
     DO UPDATE SET recipient_id = EXCLUDED.recipient_id
     RETURNING digest_id`,
    [randomUUID(), key.recipientId, key.channel, key.locale, now, new Date(now.getTime() + settings.digestPeriodMs)],
  );
  return rows[0].digest_id;
}

/**
 * Closes every digest whose period has ended, writing one outbox message per digest in the same
 * transaction. SKIP LOCKED leaves digests that another flush, or a notification joining them, holds.
 */
export async function flushDueDigests(db: Db, settings: NotificationSettings, now: Date, limit = 100): Promise<number> {
  return db.transaction(async tx => {
    const due = await tx.query<{ digest_id: string; recipient_id: string; channel: Channel; locale: string }>(
      `SELECT digest_id, recipient_id, channel, locale FROM digests
       WHERE status = 'open' AND due_at <= $1 ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    for (const digest of due) {
      await closeDigest(tx, digest.digest_id, { recipientId: digest.recipient_id, channel: digest.channel, locale: digest.locale }, settings, now);
    }
    return due.length;
  });
}

async function closeDigest(tx: Db, digestId: string, key: DigestKey, settings: NotificationSettings, now: Date): Promise<void> {
  const items = await tx.query<{ subject: string | null; body: string }>(
    'SELECT subject, body FROM notifications WHERE digest_id = $1 ORDER BY created_at, notification_id',
    [digestId],
  );
  const recipient = await getRecipient(tx, key.recipientId);
  let messageId: string | null = null;
  // An opt-out made while the digest was open still holds: close it without a message.
  if (!recipient.optedOut.includes(key.channel)) {
    const template = await digestTemplate(tx, key, settings);
    const rendered = renderTemplate(template, {
      count: items.length,
      items: items.map(item => `- ${item.subject ?? item.body}`).join('\n'),
    });
    const address = key.channel === 'email' ? recipient.email : key.channel === 'sms' ? recipient.phone : null;
    messageId = await enqueue(tx, { channel: key.channel, recipientId: key.recipientId, address, ...rendered, maxAttempts: settings.maxAttempts }, now);
  }
  await tx.query(`UPDATE digests SET status = 'closed', message_id = $2 WHERE digest_id = $1`, [digestId, messageId]);
}

async function digestTemplate(tx: Db, key: DigestKey, settings: NotificationSettings): Promise<MessageTemplate> {
  const stored =
    (await findTemplate(tx, DIGEST_TEMPLATE_KEY, key.channel, key.locale)) ??
    (await findTemplate(tx, DIGEST_TEMPLATE_KEY, key.channel, settings.defaultLocale));
  if (stored) return stored;
  return {
    key: DIGEST_TEMPLATE_KEY,
    channel: key.channel,
    locale: key.locale,
    subject: key.channel === 'email' ? BUILT_IN_DIGEST.subject : null,
    body: key.channel === 'email' ? BUILT_IN_DIGEST.body : `${BUILT_IN_DIGEST.subject}:\n${BUILT_IN_DIGEST.body}`,
    variables: ['count', 'items'],
  };
}

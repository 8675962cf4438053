import type { Db } from '@paver/service-runtime';
import { CHANNELS, isChannel, type Channel } from './channels.js';
import { InvalidRequestError, NotFoundError, UndeliverableError } from './errors.js';
import { optionalString, parseLocale, requireObject } from './input.js';

/** Who a notification goes to, where, in which language, and which channels they refused. */
export interface Recipient {
  readonly recipientId: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly locale: string | null;
  readonly optedOut: Channel[];
}

interface RecipientRow {
  recipient_id: string;
  email: string | null;
  phone: string | null;
  locale: string | null;
  opted_out: Channel[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const E164 = /^\+[1-9][0-9]{6,14}$/;

/** Reads a PUT /recipients/{id} body; every field is optional, `optedOut` lists channels. */
export function parseRecipientBody(recipientId: string, body: unknown): Recipient {
  const obj = requireObject(body);
  const email = optionalString(obj, 'email', 254);
  if (email !== null && !EMAIL.test(email)) throw new InvalidRequestError('email must be an e-mail address');
  const phone = optionalString(obj, 'phone', 16);
  if (phone !== null && !E164.test(phone)) throw new InvalidRequestError('phone must be an E.164 number like +14155550100');
  const locale = optionalString(obj, 'locale', 10);
  const optedOut = obj.optedOut ?? [];
  if (!Array.isArray(optedOut) || !optedOut.every(isChannel)) {
    throw new InvalidRequestError(`optedOut must be a list of channels (${CHANNELS.join(', ')})`);
  }
  return { recipientId, email, phone, locale: locale === null ? null : parseLocale(locale), optedOut: [...new Set(optedOut)] };
}

export async function saveRecipient(db: Db, r: Recipient): Promise<Recipient> {
  await db.query(
    `INSERT INTO recipients (recipient_id, email, phone, locale, opted_out) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (recipient_id) DO UPDATE SET email = EXCLUDED.email, phone = EXCLUDED.phone,
       locale = EXCLUDED.locale, opted_out = EXCLUDED.opted_out, updated_at = now()`,
    [r.recipientId, r.email, r.phone, r.locale, r.optedOut],
  );
  return r;
}

export async function getRecipient(db: Db, recipientId: string): Promise<Recipient> {
  const rows = await db.query<RecipientRow>(
    'SELECT recipient_id, email, phone, locale, opted_out FROM recipients WHERE recipient_id = $1',
    [recipientId],
  );
  if (!rows[0]) throw new NotFoundError(`recipient '${recipientId}' does not exist`);
  const row = rows[0];
  return { recipientId: row.recipient_id, email: row.email, phone: row.phone, locale: row.locale, optedOut: row.opted_out };
}

/** The address a channel delivers to; in-app needs none. */
export function addressFor(recipient: Recipient, channel: Channel): string | null {
  if (channel === 'in_app') return null;
  const address = channel === 'email' ? recipient.email : recipient.phone;
  if (address === null) {
    throw new UndeliverableError(
      `recipient '${recipient.recipientId}' has no ${channel === 'email' ? 'e-mail address' : 'phone number'} for channel ${channel}`,
    );
  }
  return address;
}

/**
 * Records the address an event gave for a recipient (a new account, a billing customer), keeping
 * what the recipient chose here: their phone, language and opt-outs.
 */
export async function rememberEmail(db: Db, recipientId: string, email: string): Promise<void> {
  await db.query(
    `INSERT INTO recipients (recipient_id, email) VALUES ($1, $2)
     ON CONFLICT (recipient_id) DO UPDATE SET email = EXCLUDED.email, updated_at = now()`,
    [recipientId, email],
  );
}

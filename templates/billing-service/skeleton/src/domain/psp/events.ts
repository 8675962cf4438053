import {
  HttpError,
  jsonObject,
  stringField,
  type Db,
} from '@paver/service-runtime';
import { integerValue, invalid, patternValue, uuidValue } from '../input.js';
import { markInvoicePaid } from '../invoices/lifecycle.js';
import { getInvoice } from '../invoices/store.js';
import { isCurrency } from '../money.js';
import { getSubscription, transition } from '../subscriptions.js';

/** The PSP's event envelope: `{ id, type, data }`. */
export interface PspEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
}

export interface EventOutcome {
  eventId: string;
  /** False for a replayed event id or a type this service does not act on. */
  applied: boolean;
  duplicate: boolean;
}

export function parseEvent(raw: unknown): PspEvent {
  const body = jsonObject(raw);
  const data = body.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw invalid('data', 'must be an object');
  return {
    id: patternValue(
      body.id,
      'id',
      /^[\x21-\x7e]{1,200}$/,
      '1 to 200 printable ASCII characters',
    ),
    type: stringField(body, 'type', { maxLength: 100 }),
    data: data as Record<string, unknown>,
  };
}

/**
 * Applies a verified event once. The event id is recorded in the same transaction as its
 * effects: a replay (or a concurrent duplicate delivery) finds it and changes nothing, while an
 * event that fails is not recorded, so the PSP's retry can succeed after the cause is fixed.
 */
export async function applyEvent(
  tx: Db,
  event: PspEvent,
  now: Date,
): Promise<EventOutcome> {
  const fresh = await tx.query(
    'INSERT INTO psp_events (event_id, type) VALUES ($1, $2) ON CONFLICT (event_id) DO NOTHING RETURNING event_id',
    [event.id, event.type],
  );
  if (fresh.length === 0)
    return { eventId: event.id, applied: false, duplicate: true };
  const handler = HANDLERS.get(event.type);
  if (handler) await handler(tx, event.data, now);
  return {
    eventId: event.id,
    applied: handler !== undefined,
    duplicate: false,
  };
}

type EventHandler = (
  tx: Db,
  data: Record<string, unknown>,
  now: Date,
) => Promise<void>;

// Types not listed are acknowledged and ignored: the PSP sends more than billing acts on.
// A Map, not an object literal, so a type such as "constructor" cannot reach Object.prototype.
const HANDLERS = new Map<string, EventHandler>([
  ['payment_succeeded', paymentSucceeded],
  ['payment_failed', paymentFailed],
]);

async function paymentSucceeded(
  tx: Db,
  data: Record<string, unknown>,
  now: Date,
): Promise<void> {
  const currency = data.currency;
  if (!isCurrency(currency))
    throw invalid('data.currency', 'must be an ISO 4217 code in capitals');
  await markInvoicePaid(
    tx,
    uuidValue(data.invoiceId, 'data.invoiceId'),
    {
      amountMinor: integerValue(data.amountMinor, 'data.amountMinor', 0),
      currency,
      reference: typeof data.paymentId === 'string' ? data.paymentId : null,
    },
    now,
  );
}

/** The invoice stays open for the PSP's retry; the subscription is past due until it is paid. */
async function paymentFailed(
  tx: Db,
  data: Record<string, unknown>,
): Promise<void> {
  const invoice = await getInvoice(
    tx,
    uuidValue(data.invoiceId, 'data.invoiceId'),
    'FOR UPDATE',
  );
  if (invoice.status !== 'open') {
    throw new HttpError(
      409,
      'invoice_not_open',
      `invoice ${invoice.id} is ${invoice.status}; only an open invoice can fail`,
    );
  }
  const subscription = await getSubscription(
    tx,
    invoice.subscriptionId,
    'FOR UPDATE',
  );
  if (subscription.status === 'active')
    await transition(tx, subscription, 'past_due');
}

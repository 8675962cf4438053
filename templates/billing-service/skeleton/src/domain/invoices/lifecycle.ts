import { HttpError, jsonObject, type Db } from '@paver/service-runtime';
import { events } from '../../event-contract.js';
import { getCustomer } from '../customers.js';
import { integerField, invalid } from '../input.js';
import { isCurrency } from '../money.js';
import { getPlan } from '../plans.js';
import {
  closeCurrentPeriod,
  getSubscription,
  transition,
  type Subscription,
} from '../subscriptions.js';
import { usageTotals } from '../usage.js';
import { invoiceLines } from './lines.js';
import { getInvoice, insertDraft, type Invoice } from './store.js';

/**
 * Invoices the subscription's current period once it has closed, then moves the subscription on.
 * The subscription row lock serialises this against usage recording and a concurrent generate.
 */
export async function generateInvoice(
  tx: Db,
  subscriptionId: string,
  now: Date,
): Promise<Invoice> {
  const subscription = await getSubscription(tx, subscriptionId, 'FOR UPDATE');
  assertPeriodClosed(subscription, now);
  const plan = await getPlan(tx, subscription.planId);
  const period = {
    start: subscription.currentPeriodStart,
    end: subscription.currentPeriodEnd,
  };
  const usage = await usageTotals(
    tx,
    subscription.id,
    plan.meters.map(m => m.meter),
    period,
  );
  const invoice = await insertDraft(
    tx,
    {
      subscriptionId: subscription.id,
      customerId: subscription.customerId,
      currency: plan.currency,
      period,
    },
    invoiceLines(plan, usage),
  );
  await closeCurrentPeriod(tx, subscription, plan);
  return invoice;
}

function assertPeriodClosed(subscription: Subscription, now: Date): void {
  if (subscription.status === 'canceled') {
    throw new HttpError(
      409,
      'subscription_canceled',
      `subscription ${subscription.id} is canceled; every period is invoiced`,
    );
  }
  if (subscription.currentPeriodEnd > now) {
    throw new HttpError(
      409,
      'period_not_closed',
      `the current period of subscription ${
        subscription.id
      } ends ${subscription.currentPeriodEnd.toISOString()}; invoice it after that`,
    );
  }
}

/** draft -> open: the invoice becomes owed and takes the next gapless number. */
export async function finalizeInvoice(
  tx: Db,
  id: string,
  now: Date,
): Promise<Invoice> {
  const invoice = await getInvoice(tx, id, 'FOR UPDATE');
  if (invoice.status !== 'draft') {
    throw new HttpError(
      409,
      'invoice_not_draft',
      `invoice ${id} is ${invoice.status}; only a draft can be finalized`,
    );
  }
  const [{ last_value }] = await tx.query<{ last_value: string }>(
    'UPDATE invoice_numbers SET last_value = last_value + 1 RETURNING last_value',
  );
  const number = `INV-${last_value.padStart(6, '0')}`;
  await tx.query(
    `UPDATE invoices SET status = 'open', number = $2, finalized_at = $3 WHERE id = $1`,
    [id, number, now],
  );
  const customer = await getCustomer(tx, invoice.customerId);
  await events.enqueue(tx, 'invoice.issued', 1, {
    invoiceId: id,
    number,
    customerId: customer.id,
    email: customer.email,
    totalMinor: invoice.totalMinor.toString(),
    currency: invoice.currency,
  });
  return getInvoice(tx, id);
}

export interface Payment {
  amountMinor: bigint;
  currency: string;
  reference: string | null;
}

/** A payment reported by hand (bank transfer, cheque): `{ amountMinor, currency, reference? }`. */
export function parsePayment(raw: unknown): Payment {
  const body = jsonObject(raw);
  const { currency, reference } = body;
  if (!isCurrency(currency))
    throw invalid('currency', 'must be an ISO 4217 code in capitals, e.g. EUR');
  if (
    reference !== undefined &&
    (typeof reference !== 'string' || reference.length > 200)
  ) {
    throw invalid('reference', 'must be a string of at most 200 characters');
  }
  return {
    amountMinor: integerField(body, 'amountMinor', 0),
    currency,
    reference: reference ?? null,
  };
}

/**
 * open -> paid. The payment must match the invoice exactly; a past-due subscription becomes
 * active again once it owes nothing.
 */
export async function markInvoicePaid(
  tx: Db,
  id: string,
  payment: Payment,
  now: Date,
): Promise<Invoice> {
  const invoice = await getInvoice(tx, id, 'FOR UPDATE');
  if (invoice.status !== 'open') {
    const reason =
      invoice.status === 'paid'
        ? 'is already paid'
        : 'is a draft; finalize it first';
    throw new HttpError(
      409,
      `invoice_${invoice.status === 'paid' ? 'already_paid' : 'not_finalized'}`,
      `invoice ${id} ${reason}`,
    );
  }
  if (
    payment.amountMinor !== invoice.totalMinor ||
    payment.currency !== invoice.currency
  ) {
    throw new HttpError(
      422,
      'payment_mismatch',
      `payment of ${payment.amountMinor} ${payment.currency} does not match invoice ${id} total ${invoice.totalMinor} ${invoice.currency}`,
    );
  }
  await tx.query(
    `UPDATE invoices SET status = 'paid', paid_at = $2, payment_reference = $3 WHERE id = $1`,
    [id, now, payment.reference],
  );
  await reactivateIfSettled(tx, invoice.subscriptionId);
  return getInvoice(tx, id);
}

async function reactivateIfSettled(
  tx: Db,
  subscriptionId: string,
): Promise<void> {
  const subscription = await getSubscription(tx, subscriptionId, 'FOR UPDATE');
  if (subscription.status !== 'past_due') return;
  const unpaid = await tx.query(
    `SELECT 1 FROM invoices WHERE subscription_id = $1 AND status = 'open'`,
    [subscriptionId],
  );
  if (unpaid.length === 0) await transition(tx, subscription, 'active');
}

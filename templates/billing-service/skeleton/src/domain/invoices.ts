import type { Db } from '../platform/db.js';
import { HttpError, jsonObject } from '../platform/http.js';
import { integerField, invalid } from './input.js';
import { fromDb, isCurrency, sum, toJson } from './money.js';
import type { Period } from './periods.js';
import { getPlan, type MeterPrice, type Plan } from './plans.js';
import {
  closeCurrentPeriod,
  getSubscription,
  transition,
  type Subscription,
} from './subscriptions.js';
import { usageTotals } from './usage.js';

/** draft: editable, not yet owed; open: finalized and numbered, awaiting payment; paid: settled. */
export type InvoiceStatus = 'draft' | 'open' | 'paid';

export interface InvoiceLine {
  kind: 'plan' | 'usage';
  description: string;
  meter: string | null;
  quantity: bigint;
  unitAmountMinor: bigint;
  amountMinor: bigint;
}

export interface Invoice {
  id: string;
  number: string | null;
  subscriptionId: string;
  customerId: string;
  currency: string;
  period: Period;
  status: InvoiceStatus;
  totalMinor: bigint;
  paymentReference: string | null;
  lines: InvoiceLine[];
  createdAt: Date;
  finalizedAt: Date | null;
  paidAt: Date | null;
}

/** The lines for one period: the plan's fixed price, then each meter's usage above its allowance. */
export function invoiceLines(
  plan: Plan,
  usage: { meter: string; quantity: bigint }[],
): InvoiceLine[] {
  const planLine: InvoiceLine = {
    kind: 'plan',
    description: `${plan.name} (per ${plan.interval})`,
    meter: null,
    quantity: 1n,
    unitAmountMinor: plan.amountMinor,
    amountMinor: plan.amountMinor,
  };
  return [planLine, ...plan.meters.map(price => usageLine(price, usage))];
}

function usageLine(
  price: MeterPrice,
  usage: { meter: string; quantity: bigint }[],
): InvoiceLine {
  const used = usage.find(u => u.meter === price.meter)?.quantity ?? 0n;
  const billable =
    used > price.includedQuantity ? used - price.includedQuantity : 0n;
  return {
    kind: 'usage',
    description: `${price.meter}: ${used} used, ${price.includedQuantity} included`,
    meter: price.meter,
    quantity: billable,
    unitAmountMinor: price.unitAmountMinor,
    amountMinor: billable * price.unitAmountMinor,
  };
}

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
  const lines = invoiceLines(plan, usage);
  const [row] = await tx.query<InvoiceRow>(
    `INSERT INTO invoices (subscription_id, customer_id, currency, period_start, period_end, status, total_minor)
     VALUES ($1, $2, $3, $4, $5, 'draft', $6) RETURNING *`,
    [
      subscription.id,
      subscription.customerId,
      plan.currency,
      period.start,
      period.end,
      sum(lines.map(l => l.amountMinor)).toString(),
    ],
  );
  for (const [position, line] of lines.entries()) {
    await tx.query(
      `INSERT INTO invoice_lines (invoice_id, position, kind, description, meter, quantity, unit_amount_minor, amount_minor)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        row.id,
        position + 1,
        line.kind,
        line.description,
        line.meter,
        line.quantity.toString(),
        line.unitAmountMinor.toString(),
        line.amountMinor.toString(),
      ],
    );
  }
  await closeCurrentPeriod(tx, subscription, plan);
  return toInvoice(row, lines);
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

/** The invoice with its lines, or a 404; `lock` takes a row lock for the rest of the transaction. */
export async function getInvoice(
  db: Db,
  id: string,
  lock: '' | 'FOR UPDATE' = '',
): Promise<Invoice> {
  const [row] = await db.query<InvoiceRow>(
    `SELECT * FROM invoices WHERE id = $1 ${lock}`,
    [id],
  );
  if (!row)
    throw new HttpError(404, 'invoice_not_found', `no invoice with id ${id}`);
  const lines = await db.query<LineRow>(
    'SELECT * FROM invoice_lines WHERE invoice_id = $1 ORDER BY position',
    [id],
  );
  return toInvoice(row, lines.map(toLine));
}

/** A subscription's invoices, oldest period first. */
export async function listInvoices(
  db: Db,
  subscriptionId: string,
): Promise<Invoice[]> {
  const rows = await db.query<{ id: string }>(
    'SELECT id FROM invoices WHERE subscription_id = $1 ORDER BY period_start',
    [subscriptionId],
  );
  return Promise.all(rows.map(r => getInvoice(db, r.id)));
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

export function invoiceJson(invoice: Invoice) {
  return {
    id: invoice.id,
    number: invoice.number,
    subscriptionId: invoice.subscriptionId,
    customerId: invoice.customerId,
    currency: invoice.currency,
    period: {
      start: invoice.period.start.toISOString(),
      end: invoice.period.end.toISOString(),
    },
    status: invoice.status,
    totalMinor: toJson(invoice.totalMinor),
    paymentReference: invoice.paymentReference,
    lines: invoice.lines.map(line => ({
      kind: line.kind,
      description: line.description,
      meter: line.meter,
      quantity: toJson(line.quantity),
      unitAmountMinor: toJson(line.unitAmountMinor),
      amountMinor: toJson(line.amountMinor),
    })),
    createdAt: invoice.createdAt.toISOString(),
    finalizedAt: invoice.finalizedAt?.toISOString() ?? null,
    paidAt: invoice.paidAt?.toISOString() ?? null,
  };
}

interface InvoiceRow {
  id: string;
  number: string | null;
  subscription_id: string;
  customer_id: string;
  currency: string;
  period_start: Date;
  period_end: Date;
  status: InvoiceStatus;
  total_minor: string;
  payment_reference: string | null;
  created_at: Date;
  finalized_at: Date | null;
  paid_at: Date | null;
}

interface LineRow {
  kind: 'plan' | 'usage';
  description: string;
  meter: string | null;
  quantity: string;
  unit_amount_minor: string;
  amount_minor: string;
}

function toLine(row: LineRow): InvoiceLine {
  return {
    kind: row.kind,
    description: row.description,
    meter: row.meter,
    quantity: fromDb(row.quantity),
    unitAmountMinor: fromDb(row.unit_amount_minor),
    amountMinor: fromDb(row.amount_minor),
  };
}

function toInvoice(row: InvoiceRow, lines: InvoiceLine[]): Invoice {
  return {
    id: row.id,
    number: row.number,
    subscriptionId: row.subscription_id,
    customerId: row.customer_id,
    currency: row.currency,
    period: { start: row.period_start, end: row.period_end },
    status: row.status,
    totalMinor: fromDb(row.total_minor),
    paymentReference: row.payment_reference,
    lines,
    createdAt: row.created_at,
    finalizedAt: row.finalized_at,
    paidAt: row.paid_at,
  };
}

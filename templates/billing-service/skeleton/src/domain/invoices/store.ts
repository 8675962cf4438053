import { HttpError, type Db } from '@paver/service-runtime';
import { fromDb, sum, toJson } from '../money.js';
import type { Period } from '../periods.js';
import type { InvoiceLine } from './lines.js';

/** draft: editable, not yet owed; open: finalized and numbered, awaiting payment; paid: settled. */
export type InvoiceStatus = 'draft' | 'open' | 'paid';

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

/** Stores a new draft invoice and its lines; the total is the sum of the lines. */
export async function insertDraft(
  tx: Db,
  draft: {
    subscriptionId: string;
    customerId: string;
    currency: string;
    period: Period;
  },
  lines: InvoiceLine[],
): Promise<Invoice> {
  const [row] = await tx.query<InvoiceRow>(
    `INSERT INTO invoices (subscription_id, customer_id, currency, period_start, period_end, status, total_minor)
     VALUES ($1, $2, $3, $4, $5, 'draft', $6) RETURNING *`,
    [
      draft.subscriptionId,
      draft.customerId,
      draft.currency,
      draft.period.start,
      draft.period.end,
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
  return toInvoice(row, lines);
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

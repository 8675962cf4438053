import {
  HttpError,
  jsonObject,
  stringField,
  type Db,
} from '@paver/service-runtime';
import {
  enumField,
  integerField,
  integerValue,
  invalid,
  patternField,
  patternValue,
} from './input.js';
import { fromDb, isCurrency, toJson } from './money.js';
import { BILLING_INTERVALS, type BillingInterval } from './periods.js';

const PLAN_CODE = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const METER_NAME = /^[a-z][a-z0-9_]{0,62}$/;
const MAX_METERS = 20;

/** A metered price: usage above includedQuantity costs unitAmountMinor per unit. */
export interface MeterPrice {
  meter: string;
  unitAmountMinor: bigint;
  includedQuantity: bigint;
}

export interface Plan {
  id: string;
  code: string;
  name: string;
  currency: string;
  amountMinor: bigint;
  interval: BillingInterval;
  meters: MeterPrice[];
  createdAt: Date;
}

export interface NewPlan {
  code: string;
  name: string;
  currency: string;
  amountMinor: bigint;
  interval: BillingInterval;
  meters: MeterPrice[];
}

/** Validates a create-plan body; every problem is a 400 naming the field. */
export function parseNewPlan(raw: unknown): NewPlan {
  const body = jsonObject(raw);
  const currency = body.currency;
  if (!isCurrency(currency))
    throw invalid('currency', 'must be an ISO 4217 code in capitals, e.g. EUR');
  return {
    code: patternField(
      body,
      'code',
      PLAN_CODE,
      'lowercase letters, digits, "-" or "_" (at most 63)',
    ),
    name: stringField(body, 'name', { maxLength: 200 }),
    currency,
    amountMinor: integerField(body, 'amountMinor', 0),
    interval: enumField(body, 'interval', BILLING_INTERVALS),
    meters: parseMeters(body.meters),
  };
}

function parseMeters(value: unknown): MeterPrice[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > MAX_METERS) {
    throw invalid(
      'meters',
      `must be a list of at most ${MAX_METERS} meter prices`,
    );
  }
  const meters = value.map((item, i) => {
    const field = `meters[${i}]`;
    if (typeof item !== 'object' || item === null)
      throw invalid(field, 'must be an object');
    const entry = item as Record<string, unknown>;
    return {
      meter: patternValue(
        entry.meter,
        `${field}.meter`,
        METER_NAME,
        'lowercase letters, digits or "_", starting with a letter',
      ),
      unitAmountMinor: integerValue(
        entry.unitAmountMinor,
        `${field}.unitAmountMinor`,
        0,
      ),
      includedQuantity:
        entry.includedQuantity === undefined
          ? 0n
          : integerValue(
              entry.includedQuantity,
              `${field}.includedQuantity`,
              0,
            ),
    };
  });
  const names = meters.map(m => m.meter);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw invalid('meters', `lists meter "${duplicate}" twice`);
  // Sorted by name, the order they are read back in, so every response lists them alike.
  return meters.sort((a, b) => (a.meter < b.meter ? -1 : 1));
}

export async function createPlan(db: Db, plan: NewPlan): Promise<Plan> {
  // ON CONFLICT rather than a prior SELECT: two concurrent creates must not both pass the check.
  const [row] = await db.query<PlanRow>(
    `INSERT INTO plans (code, name, currency, amount_minor, billing_interval)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code) DO NOTHING RETURNING *`,
    [
      plan.code,
      plan.name,
      plan.currency,
      plan.amountMinor.toString(),
      plan.interval,
    ],
  );
  if (!row)
    throw new HttpError(
      409,
      'plan_code_taken',
      `a plan with code "${plan.code}" already exists`,
    );
  for (const m of plan.meters) {
    await db.query(
      'INSERT INTO plan_meters (plan_id, meter, unit_amount_minor, included_quantity) VALUES ($1, $2, $3, $4)',
      [
        row.id,
        m.meter,
        m.unitAmountMinor.toString(),
        m.includedQuantity.toString(),
      ],
    );
  }
  return toPlan(row, plan.meters);
}

export async function listPlans(db: Db): Promise<Plan[]> {
  const rows = await db.query<PlanRow>(
    'SELECT * FROM plans ORDER BY created_at, code',
  );
  const meters = await db.query<MeterRow>(
    'SELECT * FROM plan_meters ORDER BY meter',
  );
  return rows.map(row =>
    toPlan(row, meters.filter(m => m.plan_id === row.id).map(toMeter)),
  );
}

/** The plan, or a 404 naming the id. */
export async function getPlan(db: Db, id: string): Promise<Plan> {
  const [row] = await db.query<PlanRow>('SELECT * FROM plans WHERE id = $1', [
    id,
  ]);
  if (!row) throw new HttpError(404, 'plan_not_found', `no plan with id ${id}`);
  const meters = await db.query<MeterRow>(
    'SELECT * FROM plan_meters WHERE plan_id = $1 ORDER BY meter',
    [id],
  );
  return toPlan(row, meters.map(toMeter));
}

export function planJson(plan: Plan) {
  return {
    id: plan.id,
    code: plan.code,
    name: plan.name,
    currency: plan.currency,
    amountMinor: toJson(plan.amountMinor),
    interval: plan.interval,
    meters: plan.meters.map(m => ({
      meter: m.meter,
      unitAmountMinor: toJson(m.unitAmountMinor),
      includedQuantity: toJson(m.includedQuantity),
    })),
    createdAt: plan.createdAt.toISOString(),
  };
}

interface PlanRow {
  id: string;
  code: string;
  name: string;
  currency: string;
  amount_minor: string;
  billing_interval: BillingInterval;
  created_at: Date;
}

interface MeterRow {
  plan_id: string;
  meter: string;
  unit_amount_minor: string;
  included_quantity: string;
}

function toPlan(row: PlanRow, meters: MeterPrice[]): Plan {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    currency: row.currency,
    amountMinor: fromDb(row.amount_minor),
    interval: row.billing_interval,
    meters,
    createdAt: row.created_at,
  };
}

function toMeter(row: MeterRow): MeterPrice {
  return {
    meter: row.meter,
    unitAmountMinor: fromDb(row.unit_amount_minor),
    includedQuantity: fromDb(row.included_quantity),
  };
}

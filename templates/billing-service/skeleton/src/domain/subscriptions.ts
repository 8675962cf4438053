import { HttpError, jsonObject, type Db } from '@paver/service-runtime';
import { events } from '../event-contract.js';
import { getCustomer } from './customers.js';
import { invalid, optionalTimestamp, uuidField } from './input.js';
import { periodAt } from './periods.js';
import { getPlan, type Plan } from './plans.js';

export type SubscriptionStatus = 'active' | 'past_due' | 'canceled';

/**
 * Every status change goes through this table. `past_due` is entered when a payment fails and
 * left when one succeeds; `canceled` is final and only reached when a period closes with
 * cancelAtPeriodEnd set.
 */
const TRANSITIONS: Record<SubscriptionStatus, readonly SubscriptionStatus[]> = {
  active: ['past_due', 'canceled'],
  past_due: ['active', 'canceled'],
  canceled: [],
};

// A start a little ahead of our clock is the caller's clock skew, not a future subscription.
const MAX_FUTURE_START_MS = 60_000;

export interface Subscription {
  id: string;
  customerId: string;
  planId: string;
  status: SubscriptionStatus;
  billingAnchor: Date;
  periodIndex: number;
  currentPeriodStart: Date;
  currentPeriodEnd: Date;
  cancelAtPeriodEnd: boolean;
  canceledAt: Date | null;
  createdAt: Date;
}

export interface NewSubscription {
  customerId: string;
  planId: string;
  /** When billing starts; in the past when migrating a customer from another billing system. */
  startAt: Date;
}

export function parseNewSubscription(raw: unknown, now: Date): NewSubscription {
  const body = jsonObject(raw);
  const startAt = optionalTimestamp(body, 'startAt') ?? now;
  if (startAt.getTime() > now.getTime() + MAX_FUTURE_START_MS) {
    throw invalid('startAt', 'must not be in the future');
  }
  return {
    customerId: uuidField(body, 'customerId'),
    planId: uuidField(body, 'planId'),
    startAt,
  };
}

export async function createSubscription(
  db: Db,
  input: NewSubscription,
): Promise<Subscription> {
  const customer = await getCustomer(db, input.customerId);
  const plan = await getPlan(db, input.planId);
  const period = periodAt(input.startAt, 0, plan.interval);
  const [row] = await db.query<SubscriptionRow>(
    `INSERT INTO subscriptions
       (customer_id, plan_id, status, billing_anchor, current_period_start, current_period_end)
     VALUES ($1, $2, 'active', $3, $4, $5) RETURNING *`,
    [input.customerId, plan.id, input.startAt, period.start, period.end],
  );
  const subscription = toSubscription(row);
  // `db` is the request's transaction: the event is sent exactly when the subscription commits.
  await events.enqueue(db, 'subscription.activated', 1, {
    subscriptionId: subscription.id,
    customerId: customer.id,
    email: customer.email,
    planId: plan.id,
    planName: plan.name,
    currentPeriodEnd: subscription.currentPeriodEnd.toISOString(),
  });
  return subscription;
}

/** The subscription, or a 404; `lock` takes a row lock for the rest of the transaction. */
export async function getSubscription(
  db: Db,
  id: string,
  lock: '' | 'FOR UPDATE' | 'FOR SHARE' = '',
): Promise<Subscription> {
  const [row] = await db.query<SubscriptionRow>(
    `SELECT * FROM subscriptions WHERE id = $1 ${lock}`,
    [id],
  );
  if (!row)
    throw new HttpError(
      404,
      'subscription_not_found',
      `no subscription with id ${id}`,
    );
  return toSubscription(row);
}

/** Schedules cancellation: the subscription stays billable until its current period closes. */
export async function cancelAtPeriodEnd(
  db: Db,
  id: string,
): Promise<Subscription> {
  const subscription = await getSubscription(db, id, 'FOR UPDATE');
  if (subscription.status === 'canceled') {
    throw new HttpError(
      409,
      'subscription_canceled',
      `subscription ${id} is already canceled`,
    );
  }
  const [row] = await db.query<SubscriptionRow>(
    'UPDATE subscriptions SET cancel_at_period_end = true WHERE id = $1 RETURNING *',
    [id],
  );
  return toSubscription(row);
}

/** Moves past the period just invoiced: to the next period, or to `canceled` if so scheduled. */
export async function closeCurrentPeriod(
  db: Db,
  subscription: Subscription,
  plan: Plan,
): Promise<void> {
  if (subscription.cancelAtPeriodEnd) {
    assertTransition(subscription, 'canceled');
    await db.query(
      `UPDATE subscriptions SET status = 'canceled', canceled_at = $2 WHERE id = $1`,
      [subscription.id, subscription.currentPeriodEnd],
    );
    return;
  }
  const next = periodAt(
    subscription.billingAnchor,
    subscription.periodIndex + 1,
    plan.interval,
  );
  await db.query(
    `UPDATE subscriptions SET period_index = period_index + 1, current_period_start = $2,
       current_period_end = $3 WHERE id = $1`,
    [subscription.id, next.start, next.end],
  );
}

/** Applies a status change allowed by the transition table; anything else is a 409. */
export async function transition(
  db: Db,
  subscription: Subscription,
  to: SubscriptionStatus,
): Promise<void> {
  assertTransition(subscription, to);
  await db.query('UPDATE subscriptions SET status = $2 WHERE id = $1', [
    subscription.id,
    to,
  ]);
}

export function canTransition(
  from: SubscriptionStatus,
  to: SubscriptionStatus,
): boolean {
  return TRANSITIONS[from].includes(to);
}

function assertTransition(
  subscription: Subscription,
  to: SubscriptionStatus,
): void {
  if (!canTransition(subscription.status, to)) {
    throw new HttpError(
      409,
      'invalid_status_transition',
      `subscription ${subscription.id} cannot go from ${subscription.status} to ${to}`,
    );
  }
}

export function subscriptionJson(s: Subscription) {
  return {
    id: s.id,
    customerId: s.customerId,
    planId: s.planId,
    status: s.status,
    currentPeriod: {
      start: s.currentPeriodStart.toISOString(),
      end: s.currentPeriodEnd.toISOString(),
    },
    cancelAtPeriodEnd: s.cancelAtPeriodEnd,
    canceledAt: s.canceledAt?.toISOString() ?? null,
    createdAt: s.createdAt.toISOString(),
  };
}

interface SubscriptionRow {
  id: string;
  customer_id: string;
  plan_id: string;
  status: SubscriptionStatus;
  billing_anchor: Date;
  period_index: number;
  current_period_start: Date;
  current_period_end: Date;
  cancel_at_period_end: boolean;
  canceled_at: Date | null;
  created_at: Date;
}

function toSubscription(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    customerId: row.customer_id,
    planId: row.plan_id,
    status: row.status,
    billingAnchor: row.billing_anchor,
    periodIndex: row.period_index,
    currentPeriodStart: row.current_period_start,
    currentPeriodEnd: row.current_period_end,
    cancelAtPeriodEnd: row.cancel_at_period_end,
    canceledAt: row.canceled_at,
    createdAt: row.created_at,
  };
}

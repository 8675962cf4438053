import {
  HttpError,
  jsonObject,
  type Db,
  type HttpRequest,
} from '@paver/service-runtime';
import {
  integerField,
  invalid,
  optionalTimestamp,
  patternField,
  timestampValue,
} from './input.js';
import { fromDb, toJson } from './money.js';
import type { Period } from './periods.js';
import { getPlan } from './plans.js';
import { getSubscription } from './subscriptions.js';

// Event ids come from the caller's system; printable ASCII keeps them safe in logs and URLs.
const EVENT_ID = /^[\x21-\x7e]{1,200}$/;
// Usage stamped slightly ahead of our clock is skew; further ahead is a bug in the caller.
const MAX_FUTURE_SKEW_MS = 5 * 60_000;

export interface UsageEvent {
  eventId: string;
  subscriptionId: string;
  meter: string;
  quantity: bigint;
  occurredAt: Date;
}

export interface RecordedUsage {
  event: UsageEvent;
  /** True when the event id had already been recorded with the same content. */
  duplicate: boolean;
}

export function parseUsageEvent(
  raw: unknown,
  subscriptionId: string,
  now: Date,
): UsageEvent {
  const body = jsonObject(raw);
  const occurredAt = optionalTimestamp(body, 'occurredAt') ?? now;
  if (occurredAt.getTime() > now.getTime() + MAX_FUTURE_SKEW_MS) {
    throw invalid('occurredAt', 'must not be in the future');
  }
  return {
    eventId: patternField(
      body,
      'eventId',
      EVENT_ID,
      '1 to 200 printable ASCII characters',
    ),
    subscriptionId,
    meter: patternField(
      body,
      'meter',
      /^[a-z][a-z0-9_]{0,62}$/,
      'a meter name',
    ),
    quantity: integerField(body, 'quantity', 1),
    occurredAt,
  };
}

/**
 * Records one usage event exactly once. The subscription row is share-locked so invoice
 * generation (which locks it for update) cannot close the period between our check and insert.
 */
export async function recordUsage(
  tx: Db,
  event: UsageEvent,
): Promise<RecordedUsage> {
  const subscription = await getSubscription(
    tx,
    event.subscriptionId,
    'FOR SHARE',
  );
  // A replay is answered before the checks below: it must still succeed after its period closed.
  if (await isRecorded(tx, event.eventId))
    return { event: await sameAsRecorded(tx, event), duplicate: true };
  const plan = await getPlan(tx, subscription.planId);
  if (!plan.meters.some(m => m.meter === event.meter)) {
    const known = plan.meters.map(m => m.meter).join(', ') || 'none';
    throw invalid(
      'meter',
      `"${event.meter}" is not metered by plan ${plan.code} (meters: ${known})`,
    );
  }
  if (subscription.status === 'canceled') {
    throw new HttpError(
      409,
      'subscription_canceled',
      `subscription ${subscription.id} is canceled`,
    );
  }
  if (event.occurredAt < subscription.currentPeriodStart) {
    throw new HttpError(
      409,
      'period_closed',
      `usage at ${event.occurredAt.toISOString()} falls before the open period, which starts ` +
        `${subscription.currentPeriodStart.toISOString()}; that period is already invoiced`,
    );
  }
  const [row] = await tx.query<UsageRow>(
    `INSERT INTO usage_events (event_id, subscription_id, meter, quantity, occurred_at)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_id) DO NOTHING RETURNING *`,
    [
      event.eventId,
      event.subscriptionId,
      event.meter,
      event.quantity.toString(),
      event.occurredAt,
    ],
  );
  // No row: a concurrent request recorded the same id between our check and insert.
  if (!row) return { event: await sameAsRecorded(tx, event), duplicate: true };
  return { event: toEvent(row), duplicate: false };
}

async function isRecorded(tx: Db, eventId: string): Promise<boolean> {
  const rows = await tx.query(
    'SELECT 1 FROM usage_events WHERE event_id = $1',
    [eventId],
  );
  return rows.length > 0;
}

// A replay must match what was recorded (occurredAt aside: it defaults to "now" on each retry);
// the same id with other content is a caller bug.
async function sameAsRecorded(tx: Db, event: UsageEvent): Promise<UsageEvent> {
  const [row] = await tx.query<UsageRow>(
    'SELECT * FROM usage_events WHERE event_id = $1',
    [event.eventId],
  );
  const recorded = toEvent(row);
  const same =
    recorded.subscriptionId === event.subscriptionId &&
    recorded.meter === event.meter &&
    recorded.quantity === event.quantity;
  if (!same) {
    throw new HttpError(
      409,
      'usage_event_conflict',
      `usage event ${event.eventId} was already recorded with a different subscription, meter or quantity`,
    );
  }
  return recorded;
}

/** Total quantity per meter over [start, end), every meter of the plan listed (0 when unused). */
export async function usageTotals(
  db: Db,
  subscriptionId: string,
  meters: string[],
  period: Period,
) {
  const rows = await db.query<{ meter: string; quantity: string }>(
    `SELECT meter, SUM(quantity)::text AS quantity FROM usage_events
     WHERE subscription_id = $1 AND occurred_at >= $2 AND occurred_at < $3 GROUP BY meter`,
    [subscriptionId, period.start, period.end],
  );
  const byMeter = new Map(rows.map(r => [r.meter, fromDb(r.quantity)]));
  return meters.map(meter => ({ meter, quantity: byMeter.get(meter) ?? 0n }));
}

/** Usage per meter of the plan over the requested period (the current one by default). */
export async function usageSummary(
  db: Db,
  subscriptionId: string,
  req: HttpRequest,
) {
  const subscription = await getSubscription(db, subscriptionId);
  const plan = await getPlan(db, subscription.planId);
  const period = requestedPeriod(req, {
    start: subscription.currentPeriodStart,
    end: subscription.currentPeriodEnd,
  });
  const totals = await usageTotals(
    db,
    subscriptionId,
    plan.meters.map(m => m.meter),
    period,
  );
  return {
    subscriptionId,
    period: {
      start: period.start.toISOString(),
      end: period.end.toISOString(),
    },
    meters: totals.map(t => ({ meter: t.meter, quantity: toJson(t.quantity) })),
  };
}

/** The period asked for in `?periodStart=&periodEnd=`, or the subscription's current one. */
export function requestedPeriod(req: HttpRequest, current: Period): Period {
  const start = req.query.get('periodStart');
  const end = req.query.get('periodEnd');
  if (start === null && end === null) return current;
  if (start === null || end === null) {
    throw new HttpError(
      400,
      'invalid_query',
      'give both periodStart and periodEnd, or neither',
    );
  }
  const period = {
    start: timestampValue(start, 'periodStart'),
    end: timestampValue(end, 'periodEnd'),
  };
  if (period.end <= period.start)
    throw new HttpError(
      400,
      'invalid_query',
      'periodEnd must be after periodStart',
    );
  return period;
}

export function usageEventJson(recorded: RecordedUsage) {
  const e = recorded.event;
  return {
    eventId: e.eventId,
    subscriptionId: e.subscriptionId,
    meter: e.meter,
    quantity: toJson(e.quantity),
    occurredAt: e.occurredAt.toISOString(),
    duplicate: recorded.duplicate,
  };
}

interface UsageRow {
  event_id: string;
  subscription_id: string;
  meter: string;
  quantity: string;
  occurred_at: Date;
}

function toEvent(row: UsageRow): UsageEvent {
  return {
    eventId: row.event_id,
    subscriptionId: row.subscription_id,
    meter: row.meter,
    quantity: fromDb(row.quantity),
    occurredAt: row.occurred_at,
  };
}

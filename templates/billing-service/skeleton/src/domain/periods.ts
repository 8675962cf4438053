/** How often a plan bills. */
export type BillingInterval = 'month' | 'year';
export const BILLING_INTERVALS: readonly BillingInterval[] = ['month', 'year'];

const MONTHS_PER_INTERVAL: Record<BillingInterval, number> = {
  month: 1,
  year: 12,
};

export interface Period {
  start: Date;
  end: Date;
}

/**
 * The index-th billing period counted from the anchor. Bounds are always computed from the anchor
 * (never from the previous period) so a subscription anchored on the 31st bills on the last day
 * of short months and returns to the 31st after them.
 */
export function periodAt(
  anchor: Date,
  index: number,
  interval: BillingInterval,
): Period {
  const months = MONTHS_PER_INTERVAL[interval];
  return {
    start: addMonthsClamped(anchor, index * months),
    end: addMonthsClamped(anchor, (index + 1) * months),
  };
}

/** Adds calendar months in UTC, clamping the day to the target month's length. */
export function addMonthsClamped(anchor: Date, months: number): Date {
  const monthIndex = anchor.getUTCMonth() + months;
  const year = anchor.getUTCFullYear() + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      year,
      month,
      Math.min(anchor.getUTCDate(), daysInMonth),
      anchor.getUTCHours(),
      anchor.getUTCMinutes(),
      anchor.getUTCSeconds(),
      anchor.getUTCMilliseconds(),
    ),
  );
}

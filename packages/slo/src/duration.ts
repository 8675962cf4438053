// OpenSLO durations: a count and a unit (m, h, d, w; M, Q, Y for calendar windows).
const SECONDS: Record<string, number> = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
};
const CALENDAR_DAYS: Record<string, number> = { M: 30, Q: 91, Y: 365 };

export const DURATION = /^([1-9]\d*)([smhdwMQY])$/;

/** Seconds in a duration; a calendar month counts as 30 days, as the SRE workbook's arithmetic does. */
export function durationSeconds(duration: string): number {
  const match = DURATION.exec(duration);
  if (!match)
    throw new Error(`${JSON.stringify(duration)} is not a duration like 30d`);
  const count = Number(match[1]);
  const unit = match[2];
  return unit in SECONDS
    ? count * SECONDS[unit]
    : count * CALENDAR_DAYS[unit] * 86_400;
}

/** A number of seconds as Prometheus writes a range (`5m`, `1h`, `3d`), in the largest exact unit. */
export function promDuration(seconds: number): string {
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

// How the SLO card words an SLO: objectives and budgets as percentages, windows in words.

/** 0.999 → "99.9 %", 0.99995 → "99.995 %": as many decimals as the target has, up to four. */
export function formatTarget(target: number): string {
  return `${+(target * 100).toFixed(4)} %`;
}

/**
 * The budget remaining as a percentage, rounded down to a tenth so the card never shows more
 * budget than is left: 0.49994 → "49.9 %", 1 → "100 %", −19 → "−1900 %".
 */
export function formatBudget(remaining: number): string {
  // Rounded to a millionth first: 1 − 0.07 is 0.92999…9 in floating point, and is 93 %.
  const percent = Math.floor(Math.round(remaining * 1e6) / 1e3) / 10;
  return `${percent < 0 ? '−' : ''}${Math.abs(percent)} %`;
}

/** How much budget is left, for the bar's colour: over half, over a fifth, or less. */
export type BudgetLevel = 'healthy' | 'low' | 'critical';

/** Green above 50 % of the budget left, amber above 20 %, red at 20 % and below. */
export function budgetLevel(remaining: number): BudgetLevel {
  if (remaining > 0.5) return 'healthy';
  if (remaining > 0.2) return 'low';
  return 'critical';
}

const UNITS: Record<string, string> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  M: 'month',
  Q: 'quarter',
  Y: 'year',
};

/**
 * An OpenSLO window in words: `{ 28d, rolling }` → "rolling 28 days", `{ 1M, calendar }` →
 * "calendar month". An unknown duration is shown as written.
 */
export function formatWindow(window: {
  duration: string;
  rolling: boolean;
}): string {
  const kind = window.rolling ? 'rolling' : 'calendar';
  const match = /^(\d+)([smhdwMQY])$/.exec(window.duration);
  if (!match) return `${kind} ${window.duration}`;
  const count = Number(match[1]);
  const unit = UNITS[match[2]];
  if (count === 1)
    return window.rolling ? `rolling 1 ${unit}` : `calendar ${unit}`;
  return `${kind} ${count} ${unit}s`;
}

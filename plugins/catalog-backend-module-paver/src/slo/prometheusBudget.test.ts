import { generateRules, parseOpenSlo } from '@paver/slo';
import type { SloSummary } from '@paver/plugin-paver-common';
import {
  startSloBackend,
  type SloRouteAnswer,
} from './__testUtils__/sloBackend';
import {
  startPrometheus,
  type RealPrometheus,
} from './__testUtils__/realPrometheus';

// The SLO route against a real Prometheus (Debian's 2.42) evaluating the rules @paver/slo
// generates, on a TSDB backfilled with known samples of their input, the 5 m error ratio. The
// budgets on the card must be what hand arithmetic gives for those samples.

/** billing-api's slo.yaml: availability at 99.9 %, latency at 99 % and 95 %, over 30 days. */
const SLO_FILE = `apiVersion: openslo/v1
kind: Service
metadata:
  name: billing-api
spec: {}
---
${sloDocument('billing-api-availability', 'http_requests_failed_total', [
  '0.999',
])}
---
${sloDocument('latency', 'http_requests_slow_total', ['0.99', '0.95'])}`;

/** An SLO over billing-api's requests counting `badCounter`, with an objective per target. */
function sloDocument(
  name: string,
  badCounter: string,
  targets: string[],
): string {
  const query = (counter: string) =>
    `sum(rate(${counter}{job="billing-api"}[{{.window}}]))`;
  return `apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${name}
spec:
  service: billing-api
  indicator:
    metadata:
      name: ${name}-ratio
    spec:
      ratioMetric:
        counter: true
        bad:
          metricSource:
            type: Prometheus
            spec:
              query: '${query(badCounter)}'
        total:
          metricSource:
            type: Prometheus
            spec:
              query: '${query('http_requests_total')}'
  timeWindow:
    - duration: 30d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
${targets.map(t => `    - target: ${t}`).join('\n')}
`;
}

const MINUTE = 60;
const DAY = 86_400;
const SAMPLES = (30 * DAY) / MINUTE; // 43,200: 30 days, one sample a minute
const BAD_SAMPLES = (10 * DAY) / MINUTE; // 14,400: the newest 10 days

// Availability: 30 days of the 5 m error ratio, one sample a minute, the newest 5 minutes ago:
// the older 20 days at 0, the newer 10 days at 0.0015. The 30-day rule is the mean of those:
//   14,400 × 0.0015 / 43,200 = 21.6 / 43,200 = 0.0005
// A 99.9 % objective's budget is 1 − 0.999 = 0.001, so the budget remaining is
//   1 − 0.0005 / 0.001 = 0.5.
// The spacing's error: at evaluation time t the range [t − 30 d, t] has lost the oldest samples
// (zeros) older than t − 30 d, k of them: 5 at once (the newest is 5 minutes old) and one more
// for each minute after the file is written. The mean is then 21.6 / (43,200 − k) and
//   remaining = 1 − 21,600 / (43,200 − k) = (21,600 − k) / (43,200 − k),
// never above 0.5, and for k ≤ 10 (this file takes well under 5 minutes) at least
//   21,590 / 43,190 = 0.49988…
const AVAILABILITY_HIGHEST = 0.5;
const AVAILABILITY_LOWEST = (21_600 - 10) / (43_200 - 10);

// Latency: burning now. Eleven samples of the 5 m and the 1 h error ratio at 0.2, one a minute
// up to 30 s ago (inside the 5-minute lookback, so the alert conditions hold for 4½ minutes).
// The 30-day mean is 0.2: with budgets 0.01 (99 %) and 0.05 (95 %),
//   remaining = 1 − 0.2 / 0.01 = −19 and 1 − 0.2 / 0.05 = −3.
// The page alert fires where both the 1 h and the 5 m ratio exceed 14.4 × budget: 0.144 for
// 99 % (0.2 does), 0.72 for 95 % (0.2 does not). No other window has samples: nothing else fires.
const LATENCY_ERROR_RATIO = 0.2;

/** OpenMetrics text of the samples above, as of `now` (seconds). */
function openMetrics(now: number): string {
  const sample = (window: string, sloName: string, value: number, at: number) =>
    `slo:sli_error:ratio_rate${window}{slo="${sloName}",service="billing-api"} ${value} ${at}`;
  // Oldest first, as OpenMetrics wants a series' samples; `newer` samples follow each one.
  const availability = Array.from({ length: SAMPLES }, (_, i) => {
    const newer = SAMPLES - 1 - i;
    const value = newer < BAD_SAMPLES ? 0.0015 : 0;
    const at = now - 5 * MINUTE - newer * MINUTE;
    return sample('5m', 'billing-api-availability', value, at);
  });
  const burning = (window: string) =>
    Array.from({ length: 11 }, (_, i) =>
      sample(
        window,
        'latency',
        LATENCY_ERROR_RATIO,
        now - 30 - (10 - i) * MINUTE,
      ),
    );
  return [
    '# TYPE slo:sli_error:ratio_rate5m gauge',
    ...availability,
    ...burning('5m'),
    '# TYPE slo:sli_error:ratio_rate1h gauge',
    ...burning('1h'),
    '# EOF',
    '',
  ].join('\n');
}

describe('the SLO route against a real Prometheus', () => {
  let prometheus: RealPrometheus;
  let slos: SloSummary[];
  let report: SloRouteAnswer;

  beforeAll(async () => {
    prometheus = await startPrometheus({
      openMetrics: openMetrics(Math.floor(Date.now() / 1000)),
      rules: generateRules(parseOpenSlo(SLO_FILE, 'slo.yaml', ['billing-api'])),
    });
    await untilRecorded(prometheus);
    const get = await startSloBackend(prometheus.baseUrl);
    report = await get('?entity=component:default/billing-api');
    slos = report.body.slos;
  });

  afterAll(async () => {
    await prometheus?.stop();
  });

  it('answers with the budgets Prometheus recorded and no error', () => {
    expect(report.status).toBe(200);
    expect(report.body.prometheusConfigured).toBe(true);
    expect(report.body.prometheusError).toBeUndefined();
    expect(slos.map(s => s.name)).toEqual([
      'billing-api-availability',
      'billing-api-latency',
    ]);
  });

  it('reads half the availability budget left, as the arithmetic gives', () => {
    const [objective] = slos[0].objectives;
    expect(objective.target).toBe(0.999);
    expect(objective.budget).toBeLessThanOrEqual(AVAILABILITY_HIGHEST);
    expect(objective.budget).toBeGreaterThanOrEqual(AVAILABILITY_LOWEST);
    expect(slos[0].alerts).toEqual([]);
  });

  it('matches each latency objective to its own budget, overspent', () => {
    const [fast, slow] = slos[1].objectives;
    expect(fast.target).toBe(0.99);
    expect(fast.budget).toBeCloseTo(-19, 9);
    expect(slow.target).toBe(0.95);
    expect(slow.budget).toBeCloseTo(-3, 9);
  });

  it('lists the page alert firing for the 99 % latency objective only', () => {
    expect(slos[1].alerts).toEqual([
      { name: 'SloErrorBudgetBurnPage', severity: 'page', objective: '0.99' },
    ]);
  });
});

/**
 * Waits for the first evaluation of every rule group: the three budgets recorded and the page
 * alert firing (the groups evaluate every second, independently).
 */
async function untilRecorded(prometheus: RealPrometheus) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const [budgets, alerts] = await Promise.all([
      prometheus.query('slo:error_budget_remaining:ratio'),
      prometheus.query('ALERTS{alertstate="firing"}'),
    ]);
    if (budgets.length === 3 && alerts.length > 0) return;
    if (Date.now() > deadline) {
      throw new Error(
        `Prometheus recorded ${budgets.length} budgets and ${
          alerts.length
        } firing alerts in 15 s:\n${prometheus.log()}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}

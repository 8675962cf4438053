import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { tempDir } from '@paver/test-utils';
import { parseOpenSlo } from './openslo';
import { exampleFile } from '@paver/test-utils';
import { BURN_ALERTS, burnFactor, generateRules } from './rules';

// A 99.9 % / 30-day availability SLO counting failures: the workbook's worked example.
const DOCUMENT = exampleFile({ counts: 'bad' });

function promtool(
  args: string[],
  cwd: string,
): { status: number | null; output: string } {
  const run = spawnSync('promtool', args, { cwd, encoding: 'utf8' });
  if (run.error)
    throw new Error(
      `promtool could not run (install Debian's prometheus package): ${run.error.message}`,
    );
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('generated Prometheus rules', () => {
  const rules = generateRules(parseOpenSlo(DOCUMENT));

  it("uses the workbook's burn factors for a 30-day window: 14.4 and 6 page, 1 tickets", () => {
    const thirtyDays = 30 * 86_400;
    expect(BURN_ALERTS.map(a => burnFactor(a, thirtyDays))).toEqual([
      14.4, 6, 1,
    ]);
    // 2 % of a 28-day budget in one hour is a slower burn than 2 % of a 30-day one.
    expect(burnFactor(BURN_ALERTS[0], 28 * 86_400)).toBeCloseTo(13.44, 10);
  });

  it('passes promtool check rules', async () => {
    const dir = await tempDir('paver-slo-rules-');
    writeFileSync(path.join(dir, 'rules.yaml'), rules);
    const check = promtool(['check', 'rules', 'rules.yaml'], dir);
    expect(check.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(check.status, check.output).toBe(0);
  });

  it('pages within an hour of a 14.4× burn and never at 1×, in promtool test rules', async () => {
    const dir = await tempDir('paver-slo-rules-');
    writeFileSync(path.join(dir, 'rules.yaml'), rules);
    // 1,000 requests a minute throughout. Fast burn: from minute 120, 1.5 % fail (15× the 0.1 %
    // budget). The 1 h window's error ratio is then 1.5 % × t/60 after t minutes, above
    // 14.4 × 0.1 % once t > 57.6, and the 5 m window is above it from the start: the page fires
    // between minutes 177 and 181 and not at 170. Slow burn: 0.1 % fail (1×) for four days.
    const minutes = 4 * 24 * 60;
    const ramp = (perMinute: number, from = 0) =>
      Array.from(
        { length: minutes + 1 },
        (_, m) => Math.max(0, m - from) * perMinute,
      ).join(' ');
    const pageAnnotations = parse(rules)
      .groups.flatMap((g: { rules: { alert?: string }[] }) => g.rules)
      .find(
        (r: { alert?: string }) => r.alert === 'SloErrorBudgetBurnPage',
      ).annotations;
    const test = {
      rule_files: ['rules.yaml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            {
              series: 'http_requests_total{job="checkout",status="200"}',
              values: ramp(1000),
            },
            {
              series: 'http_requests_total{job="checkout",status="500"}',
              values: ramp(15, 120),
            },
          ],
          alert_rule_test: [
            {
              eval_time: '170m',
              alertname: 'SloErrorBudgetBurnPage',
              exp_alerts: [],
            },
            {
              eval_time: '181m',
              alertname: 'SloErrorBudgetBurnPage',
              exp_alerts: [
                {
                  exp_labels: {
                    severity: 'page',
                    slo: 'checkout-availability',
                    service: 'checkout',
                    objective: '0.999',
                  },
                  exp_annotations: pageAnnotations,
                },
              ],
            },
          ],
        },
        {
          interval: '1m',
          input_series: [
            {
              series: 'http_requests_total{job="checkout",status="200"}',
              values: ramp(999),
            },
            {
              series: 'http_requests_total{job="checkout",status="500"}',
              values: ramp(1),
            },
          ],
          alert_rule_test: [
            {
              eval_time: '6h',
              alertname: 'SloErrorBudgetBurnPage',
              exp_alerts: [],
            },
            {
              eval_time: '3d',
              alertname: 'SloErrorBudgetBurnPage',
              exp_alerts: [],
            },
          ],
        },
      ],
    };
    writeFileSync(path.join(dir, 'test.yaml'), JSON.stringify(test));
    const run = promtool(['test', 'rules', 'test.yaml'], dir);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toMatch(/SUCCESS/);
  });

  it('records the error ratio per window and the budget remaining', () => {
    const records = parse(rules)
      .groups.flatMap((g: { rules: { record?: string }[] }) =>
        g.rules.map(r => r.record),
      )
      .filter(Boolean);
    expect(records).toEqual(
      expect.arrayContaining([
        'slo:sli_error:ratio_rate5m',
        'slo:sli_error:ratio_rate30m',
        'slo:sli_error:ratio_rate1h',
        'slo:sli_error:ratio_rate6h',
        'slo:sli_error:ratio_rate3d',
        'slo:sli_error:ratio_rate30d',
        'slo:objective:ratio',
        'slo:error_budget_remaining:ratio',
      ]),
    );
  });
});

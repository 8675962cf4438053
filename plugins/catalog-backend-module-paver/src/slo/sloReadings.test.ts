import { PrometheusError, type PrometheusSample } from './prometheusApi';
import { readSloReadings, sloEntityNameOf } from './sloReadings';

/** A Prometheus answering each query from `answers` by metric name, recording what it was asked. */
function prometheus(answers: Record<string, PrometheusSample[] | Error>) {
  const asked: string[] = [];
  return {
    asked,
    query: async (promql: string) => {
      asked.push(promql);
      const answer = answers[promql.split('{')[0]];
      if (answer instanceof Error) throw answer;
      return answer ?? [];
    },
  };
}

const budget = (slo: string, objective: string, value: number) => ({
  labels: { slo, service: 'billing-api', objective },
  value,
});

describe('sloEntityNameOf', () => {
  it.each([
    ['billing-api-availability', 'billing-api-availability'],
    ['latency', 'billing-api-latency'],
    // Starts with the service's name but not with "<service>-": the catalog prefixes it.
    ['billing-apis', 'billing-api-billing-apis'],
  ])('names the entity of SLO %s as the catalog does: %s', (slo, entity) => {
    expect(sloEntityNameOf({ slo, service: 'billing-api' })).toBe(entity);
  });
});

describe('readSloReadings', () => {
  it("asks for the service's budgets and firing alerts by its service label", async () => {
    const fake = prometheus({});
    await readSloReadings(fake, 'billing-api');
    expect(fake.asked).toEqual([
      'slo:error_budget_remaining:ratio{service="billing-api"}',
      'ALERTS{service="billing-api",alertstate="firing"}',
    ]);
  });

  it('keys budgets by SLO entity and objective, leaving out the NaN of an empty window', async () => {
    const readings = await readSloReadings(
      prometheus({
        'slo:error_budget_remaining:ratio': [
          budget('latency', '0.99', -19),
          budget('latency', '0.95', -3),
          budget('billing-api-availability', '0.999', NaN),
        ],
        ALERTS: [
          {
            labels: {
              alertname: 'SloErrorBudgetBurnPage',
              alertstate: 'firing',
              slo: 'latency',
              service: 'billing-api',
              objective: '0.99',
              severity: 'page',
            },
            value: 1,
          },
        ],
      }),
      'billing-api',
    );
    expect(readings).toEqual({
      budgets: new Map([
        [
          'billing-api-latency',
          new Map([
            ['0.99', -19],
            ['0.95', -3],
          ]),
        ],
      ]),
      alerts: new Map([
        [
          'billing-api-latency',
          [
            {
              name: 'SloErrorBudgetBurnPage',
              severity: 'page',
              objective: '0.99',
            },
          ],
        ],
      ]),
    });
  });

  it('keeps the budgets when only the alerts query fails, and says why', async () => {
    const readings = await readSloReadings(
      prometheus({
        'slo:error_budget_remaining:ratio': [
          budget('billing-api-availability', '0.999', 0.5),
        ],
        ALERTS: new PrometheusError(
          'Prometheus at http://prometheus:9090 did not answer within 3 s',
        ),
      }),
      'billing-api',
    );
    expect(readings.budgets?.get('billing-api-availability')).toEqual(
      new Map([['0.999', 0.5]]),
    );
    expect(readings.alerts).toBeUndefined();
    expect(readings.error).toBe(
      'Prometheus at http://prometheus:9090 did not answer within 3 s',
    );
  });
});

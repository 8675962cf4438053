import { mockCredentials } from '@backstage/backend-test-utils';
import { freePort } from '@paver/test-utils';
import { startSloBackend } from './__testUtils__/sloBackend';

const SOURCE = 'https://github.com/acme/billing-api/tree/main/slo.yaml';
const RULES = 'https://github.com/acme/billing-api/tree/main/slo-rules.yaml';

describe('GET /api/catalog/paver/slo', () => {
  it("answers a Component's SLOs from the catalog, without budgets when no Prometheus is configured", async () => {
    const get = await startSloBackend();
    const { status, body } = await get('?entity=component:default/billing-api');
    expect(status).toBe(200);
    expect(body).toEqual({
      entityRef: 'component:default/billing-api',
      prometheusConfigured: false,
      slos: [
        {
          entityRef: 'slo:default/billing-api-availability',
          name: 'billing-api-availability',
          title: 'Billing API availability',
          service: 'component:default/billing-api',
          objectives: [{ displayName: 'Good', target: 0.999, budget: null }],
          window: { duration: '30d', rolling: true },
          budgetingMethod: 'Occurrences',
          source: SOURCE,
          rules: RULES,
          alerts: null,
        },
        expect.objectContaining({
          name: 'billing-api-latency',
          objectives: [
            { displayName: 'Under 300 ms', target: 0.99, budget: null },
            { displayName: 'Under 1 s', target: 0.95, budget: null },
          ],
        }),
      ],
    });
  });

  it('answers an SLO entity with itself alone', async () => {
    const get = await startSloBackend();
    const { body } = await get('?entity=slo:default/billing-api-latency');
    expect(body.entityRef).toBe('slo:default/billing-api-latency');
    expect(body.slos.map(s => s.name)).toEqual(['billing-api-latency']);
  });

  it('still answers the SLOs when Prometheus is unreachable, with budget null and the error named', async () => {
    // A port nothing listens on: connect fails at once with ECONNREFUSED.
    const port = await freePort();
    const get = await startSloBackend(`http://127.0.0.1:${port}`);
    const { status, body } = await get('?entity=component:default/billing-api');
    expect(status).toBe(200);
    expect(body.prometheusConfigured).toBe(true);
    expect(body.prometheusError).toBe(
      `Prometheus at http://127.0.0.1:${port} could not be reached (ECONNREFUSED)`,
    );
    expect(body.slos.map(s => s.name)).toEqual([
      'billing-api-availability',
      'billing-api-latency',
    ]);
    expect(body.slos.flatMap(s => s.objectives.map(o => o.budget))).toEqual([
      null,
      null,
      null,
    ]);
    expect(body.slos.map(s => s.alerts)).toEqual([null, null]);
  });

  it.each([
    [
      '',
      400,
      'entity: give the entity ref, e.g. ?entity=component:default/billing-api',
    ],
    [
      '?entity=component:default/nope',
      404,
      'no entity component:default/nope in the catalog',
    ],
  ])(
    'answers %j with %i naming what is wrong',
    async (query, status, message) => {
      const get = await startSloBackend();
      const answer = await get(query);
      expect(answer.status).toBe(status);
      expect(answer.body.error?.message).toBe(message);
    },
  );

  it('refuses a request without credentials', async () => {
    const get = await startSloBackend();
    const anonymous = { authorization: mockCredentials.none.header() };
    expect(
      (await get('?entity=component:default/billing-api', anonymous)).status,
    ).toBe(401);
  });
});

import { startTestService, type TestService } from './support/harness.js';
import {
  BILLING_ENV,
  billingClient,
  type BillingClient,
} from './support/billing-client.js';

describe('plans and customers', () => {
  let service: TestService;
  let api: BillingClient;
  beforeAll(async () => {
    service = await startTestService({ env: BILLING_ENV });
    api = billingClient(service);
  });
  afterAll(() => service?.stop());

  const newPlan = (overrides: Record<string, unknown> = {}) => ({
    code: 'starter',
    name: 'Starter',
    currency: 'EUR',
    amountMinor: 1999,
    interval: 'month',
    ...overrides,
  });

  it('creates a plan priced in integer minor units and serves it by id and in the list', async () => {
    const res = await api.post(
      '/plans',
      newPlan({ meters: [{ meter: 'api_calls', unitAmountMinor: 3 }] }),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      code: 'starter',
      currency: 'EUR',
      amountMinor: 1999,
      interval: 'month',
      meters: [{ meter: 'api_calls', unitAmountMinor: 3, includedQuantity: 0 }],
    });
    expect((await api.get(`/plans/${res.body.id}`)).body).toEqual(res.body);
    expect((await api.get('/plans')).body.items).toContainEqual(res.body);
  });

  it('stores the amount as an exact integer column, not a float', async () => {
    const plan = await api.plan({ amountMinor: 9007199254740991 });
    const [row] = await service.db.query<{
      amount_minor: string;
      type: string;
    }>(
      `SELECT amount_minor::text, pg_typeof(amount_minor)::text AS type FROM plans WHERE id = $1`,
      [plan.id],
    );
    expect(row).toEqual({ amount_minor: '9007199254740991', type: 'bigint' });
    expect(plan.amountMinor).toBe(9007199254740991);
  });

  it.each([
    ['a fractional amount', { amountMinor: 19.99 }, 'amountMinor'],
    ['an amount sent as a string', { amountMinor: '1999' }, 'amountMinor'],
    ['a negative amount', { amountMinor: -1 }, 'amountMinor'],
    ['an amount beyond 2^53', { amountMinor: 2 ** 60 }, 'amountMinor'],
    ['a lowercase currency', { currency: 'eur' }, 'currency'],
    ['an unknown interval', { interval: 'fortnight' }, 'interval'],
    ['a code with spaces', { code: 'big plan' }, 'code'],
    [
      'a fractional meter price',
      { meters: [{ meter: 'gb', unitAmountMinor: 0.5 }] },
      'meters[0].unitAmountMinor',
    ],
    [
      'a meter listed twice',
      {
        meters: [
          { meter: 'gb', unitAmountMinor: 1 },
          { meter: 'gb', unitAmountMinor: 2 },
        ],
      },
      'meters',
    ],
  ])('refuses %s with a 400 naming the field', async (_, overrides, field) => {
    const res = await api.post(
      '/plans',
      newPlan({ code: 'refused', ...overrides }),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_body');
    expect(res.body.error.message).toContain(`"${field}"`);
    expect(
      (await api.get('/plans')).body.items.map((p: { code: string }) => p.code),
    ).not.toContain('refused');
  });

  it('refuses a second plan with a code already taken', async () => {
    await api.plan({ code: 'taken' });
    const res = await api.post('/plans', newPlan({ code: 'taken' }));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('plan_code_taken');
  });

  it('answers 404 for an unknown plan and 400 for an id that is not a UUID', async () => {
    const missing = await api.get(
      '/plans/00000000-0000-4000-8000-000000000000',
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('plan_not_found');
    const malformed = await api.get('/plans/not-a-uuid');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toContain('"id"');
  });

  it('creates a customer and serves it by id', async () => {
    const res = await api.post('/customers', {
      email: 'grace@example.com',
      name: 'Grace Hopper',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      email: 'grace@example.com',
      name: 'Grace Hopper',
    });
    expect((await api.get(`/customers/${res.body.id}`)).body).toEqual(res.body);
  });

  it('refuses a customer without a usable email address', async () => {
    const res = await api.post('/customers', {
      email: 'not-an-address',
      name: 'Nobody',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('"email"');
  });
});

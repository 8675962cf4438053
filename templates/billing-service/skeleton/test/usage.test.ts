import { startTestService, type TestService } from './support/harness.js';
import {
  BILLING_ENV,
  billingClient,
  LONG_AGO,
  type BillingClient,
} from './support/billing-client.js';

describe('usage metering', () => {
  let service: TestService;
  let api: BillingClient;
  beforeAll(async () => {
    service = await startTestService({ env: BILLING_ENV });
    api = billingClient(service);
  });
  afterAll(() => service?.stop());

  const meters = [
    { meter: 'api_calls', unitAmountMinor: 2, includedQuantity: 1000 },
    { meter: 'storage_gb', unitAmountMinor: 10 },
  ];
  const record = (subscriptionId: string, event: Record<string, unknown>) =>
    api.post(`/subscriptions/${subscriptionId}/usage`, event);

  it('records usage events and totals them per meter for the current period', async () => {
    const { subscription } = await api.subscription(undefined, { meters });
    const first = await record(subscription.id, {
      eventId: 'evt-1',
      meter: 'api_calls',
      quantity: 120,
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      eventId: 'evt-1',
      meter: 'api_calls',
      quantity: 120,
      duplicate: false,
    });
    await record(subscription.id, {
      eventId: 'evt-2',
      meter: 'api_calls',
      quantity: 30,
    });

    const summary = await api.get(`/subscriptions/${subscription.id}/usage`);
    expect(summary.status).toBe(200);
    expect(summary.body).toEqual({
      subscriptionId: subscription.id,
      period: subscription.currentPeriod,
      meters: [
        { meter: 'api_calls', quantity: 150 },
        { meter: 'storage_gb', quantity: 0 },
      ],
    });
  });

  it('counts an event id once: a retry, even under a new Idempotency-Key, is acknowledged as a duplicate', async () => {
    const { subscription } = await api.subscription(undefined, { meters });
    const event = { eventId: 'evt-retry', meter: 'storage_gb', quantity: 5 };
    expect((await record(subscription.id, event)).status).toBe(201);
    const retry = await record(subscription.id, event);
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({
      eventId: 'evt-retry',
      quantity: 5,
      duplicate: true,
    });
    const summary = await api.get(`/subscriptions/${subscription.id}/usage`);
    expect(summary.body.meters).toContainEqual({
      meter: 'storage_gb',
      quantity: 5,
    });
  });

  it('counts concurrent deliveries of one event id once', async () => {
    const { subscription } = await api.subscription(undefined, { meters });
    const event = { eventId: 'evt-race', meter: 'api_calls', quantity: 7 };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => record(subscription.id, event)),
    );
    expect(results.map(r => r.status).sort()).toEqual([
      200, 200, 200, 200, 201,
    ]);
    const summary = await api.get(`/subscriptions/${subscription.id}/usage`);
    expect(summary.body.meters).toContainEqual({
      meter: 'api_calls',
      quantity: 7,
    });
  });

  it('refuses an event id reused with a different quantity', async () => {
    const { subscription } = await api.subscription(undefined, { meters });
    await record(subscription.id, {
      eventId: 'evt-clash',
      meter: 'api_calls',
      quantity: 1,
    });
    const clash = await record(subscription.id, {
      eventId: 'evt-clash',
      meter: 'api_calls',
      quantity: 2,
    });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('usage_event_conflict');
  });

  it('refuses a meter the plan does not price, naming the meters it does', async () => {
    const { subscription } = await api.subscription(undefined, { meters });
    const res = await record(subscription.id, {
      eventId: 'evt-x',
      meter: 'sms',
      quantity: 1,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('"sms" is not metered');
    expect(res.body.error.message).toContain('api_calls, storage_gb');
  });

  it.each([
    ['a zero quantity', { quantity: 0 }, 'quantity'],
    ['a fractional quantity', { quantity: 1.5 }, 'quantity'],
    [
      'a timestamp without a zone',
      { occurredAt: '2024-01-01T00:00:00' },
      'occurredAt',
    ],
    [
      'a timestamp in the future',
      { occurredAt: '2999-01-01T00:00:00Z' },
      'occurredAt',
    ],
    ['an event id with spaces', { eventId: 'evt 1' }, 'eventId'],
  ])('refuses %s with a 400 naming the field', async (_, overrides, field) => {
    const { subscription } = await api.subscription(undefined, { meters });
    const res = await record(subscription.id, {
      eventId: 'evt-bad',
      meter: 'api_calls',
      quantity: 1,
      ...overrides,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(`"${field}"`);
  });

  it('refuses usage dated in a period that is already invoiced', async () => {
    const { subscription } = await api.subscription(LONG_AGO, { meters });
    await api.post('/invoices', { subscriptionId: subscription.id });
    const late = await record(subscription.id, {
      eventId: 'evt-late',
      meter: 'api_calls',
      quantity: 1,
      occurredAt: '2024-01-15T00:00:00Z',
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('period_closed');
  });

  it('still acknowledges a retry of an event whose period has since been invoiced', async () => {
    const { subscription } = await api.subscription(LONG_AGO, { meters });
    const event = {
      eventId: 'evt-before-close',
      meter: 'api_calls',
      quantity: 3,
      occurredAt: '2024-01-15T00:00:00Z',
    };
    expect((await record(subscription.id, event)).status).toBe(201);
    await api.post('/invoices', { subscriptionId: subscription.id });
    const retry = await record(subscription.id, event);
    expect(retry.status).toBe(200);
    expect(retry.body.duplicate).toBe(true);
  });

  it('totals an explicitly requested period', async () => {
    const { subscription } = await api.subscription(LONG_AGO, { meters });
    await record(subscription.id, {
      eventId: 'p-1',
      meter: 'api_calls',
      quantity: 4,
      occurredAt: '2024-01-10T00:00:00Z',
    });
    await record(subscription.id, {
      eventId: 'p-2',
      meter: 'api_calls',
      quantity: 6,
      occurredAt: '2024-02-10T00:00:00Z',
    });
    const query =
      'periodStart=2024-02-01T00:00:00Z&periodEnd=2024-03-01T00:00:00Z';
    const res = await api.get(
      `/subscriptions/${subscription.id}/usage?${query}`,
    );
    expect(res.body.meters).toContainEqual({ meter: 'api_calls', quantity: 6 });
    const half = await api.get(
      `/subscriptions/${subscription.id}/usage?periodStart=2024-02-01T00:00:00Z`,
    );
    expect(half.status).toBe(400);
  });

  it('answers 404 for usage on an unknown subscription', async () => {
    const res = await record('00000000-0000-4000-8000-000000000000', {
      eventId: 'evt-n',
      meter: 'api_calls',
      quantity: 1,
    });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('subscription_not_found');
  });
});

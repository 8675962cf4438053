import { startTestService, type TestService } from './support/harness.js';
import {
  BILLING_ENV,
  billingClient,
  LONG_AGO,
  type BillingClient,
} from './support/billing-client.js';

describe('subscriptions', () => {
  let service: TestService;
  let api: BillingClient;
  beforeAll(async () => {
    service = await startTestService({ env: BILLING_ENV });
    api = billingClient(service);
  });
  afterAll(() => service?.stop());

  it('starts active, in its first period counted from the start date', async () => {
    const { subscription, plan, customer } = await api.subscription(
      '2025-01-31T00:00:00Z',
    );
    expect(subscription).toMatchObject({
      customerId: customer.id,
      planId: plan.id,
      status: 'active',
      cancelAtPeriodEnd: false,
      canceledAt: null,
      currentPeriod: {
        start: '2025-01-31T00:00:00.000Z',
        end: '2025-02-28T00:00:00.000Z',
      },
    });
    expect((await api.get(`/subscriptions/${subscription.id}`)).body).toEqual(
      subscription,
    );
  });

  it('starts now when no start date is given', async () => {
    const before = Date.now();
    const { subscription } = await api.subscription();
    expect(Date.parse(subscription.currentPeriod.start)).toBeGreaterThanOrEqual(
      before - 1000,
    );
  });

  it('refuses a start date in the future', async () => {
    const plan = await api.plan();
    const customer = await api.customer();
    const res = await api.post('/subscriptions', {
      customerId: customer.id,
      planId: plan.id,
      startAt: '2999-01-01T00:00:00Z',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('"startAt"');
  });

  it('answers 404 naming an unknown customer or plan', async () => {
    const plan = await api.plan();
    const customer = await api.customer();
    const nobody = '00000000-0000-4000-8000-000000000000';
    const noCustomer = await api.post('/subscriptions', {
      customerId: nobody,
      planId: plan.id,
    });
    expect(noCustomer.status).toBe(404);
    expect(noCustomer.body.error.code).toBe('customer_not_found');
    const noPlan = await api.post('/subscriptions', {
      customerId: customer.id,
      planId: nobody,
    });
    expect(noPlan.status).toBe(404);
    expect(noPlan.body.error.code).toBe('plan_not_found');
  });

  it('cancels at period end: stays active and billable until the period is invoiced, then is canceled', async () => {
    const { subscription } = await api.subscription(LONG_AGO);
    const canceling = await api.post(
      `/subscriptions/${subscription.id}/cancel`,
    );
    expect(canceling.status).toBe(200);
    expect(canceling.body).toMatchObject({
      status: 'active',
      cancelAtPeriodEnd: true,
      canceledAt: null,
    });

    const invoice = await api.post('/invoices', {
      subscriptionId: subscription.id,
    });
    expect(invoice.status).toBe(201);
    expect(invoice.body.period).toEqual({
      start: '2024-01-01T00:00:00.000Z',
      end: '2024-02-01T00:00:00.000Z',
    });

    const after = (await api.get(`/subscriptions/${subscription.id}`)).body;
    expect(after).toMatchObject({
      status: 'canceled',
      canceledAt: '2024-02-01T00:00:00.000Z',
    });
    const again = await api.post('/invoices', {
      subscriptionId: subscription.id,
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('subscription_canceled');
  });

  it('refuses to cancel a subscription that is already canceled', async () => {
    const { subscription } = await api.subscription(LONG_AGO);
    await api.post(`/subscriptions/${subscription.id}/cancel`);
    await api.post('/invoices', { subscriptionId: subscription.id });
    const res = await api.post(`/subscriptions/${subscription.id}/cancel`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('subscription_canceled');
  });

  it('moves to the next period when a period is invoiced without cancellation', async () => {
    const { subscription } = await api.subscription(LONG_AGO);
    await api.post('/invoices', { subscriptionId: subscription.id });
    const after = (await api.get(`/subscriptions/${subscription.id}`)).body;
    expect(after).toMatchObject({
      status: 'active',
      currentPeriod: {
        start: '2024-02-01T00:00:00.000Z',
        end: '2024-03-01T00:00:00.000Z',
      },
    });
  });
});

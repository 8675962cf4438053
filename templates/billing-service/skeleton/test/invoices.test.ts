import { startTestService, type TestService } from './support/harness.js';
import {
  BILLING_ENV,
  billingClient,
  LONG_AGO,
  type BillingClient,
} from './support/billing-client.js';

describe('invoices', () => {
  let service: TestService;
  let api: BillingClient;
  beforeAll(async () => {
    service = await startTestService({ env: BILLING_ENV });
    api = billingClient(service);
  });
  afterAll(() => service?.stop());

  const usage = (
    subscriptionId: string,
    eventId: string,
    meter: string,
    quantity: number,
    occurredAt: string,
  ) =>
    api.post(`/subscriptions/${subscriptionId}/usage`, {
      eventId,
      meter,
      quantity,
      occurredAt,
    });

  it('bills the plan price plus usage above each allowance, in integer minor units', async () => {
    const { subscription } = await api.subscription(LONG_AGO, {
      amountMinor: 4900,
      meters: [
        { meter: 'api_calls', unitAmountMinor: 2, includedQuantity: 1000 },
        { meter: 'storage_gb', unitAmountMinor: 15, includedQuantity: 0 },
        { meter: 'seats', unitAmountMinor: 700, includedQuantity: 5 },
      ],
    });
    await usage(
      subscription.id,
      'inv-a1',
      'api_calls',
      900,
      '2024-01-05T00:00:00Z',
    );
    await usage(
      subscription.id,
      'inv-a2',
      'api_calls',
      350,
      '2024-01-20T00:00:00Z',
    );
    await usage(
      subscription.id,
      'inv-s1',
      'storage_gb',
      7,
      '2024-01-31T23:59:59Z',
    );
    await usage(subscription.id, 'inv-t1', 'seats', 3, '2024-01-02T00:00:00Z');
    // Belongs to the next period: not on this invoice.
    await usage(
      subscription.id,
      'inv-a3',
      'api_calls',
      10_000,
      '2024-02-01T00:00:00Z',
    );

    const res = await api.post('/invoices', {
      subscriptionId: subscription.id,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'draft',
      number: null,
      currency: 'EUR',
      totalMinor: 4900 + 250 * 2 + 7 * 15,
    });
    // Usage lines follow the plan's meters, by name.
    expect(res.body.lines).toEqual([
      {
        kind: 'plan',
        description: 'Pro (per month)',
        meter: null,
        quantity: 1,
        unitAmountMinor: 4900,
        amountMinor: 4900,
      },
      {
        kind: 'usage',
        description: 'api_calls: 1250 used, 1000 included',
        meter: 'api_calls',
        quantity: 250,
        unitAmountMinor: 2,
        amountMinor: 500,
      },
      {
        kind: 'usage',
        description: 'seats: 3 used, 5 included',
        meter: 'seats',
        quantity: 0,
        unitAmountMinor: 700,
        amountMinor: 0,
      },
      {
        kind: 'usage',
        description: 'storage_gb: 7 used, 0 included',
        meter: 'storage_gb',
        quantity: 7,
        unitAmountMinor: 15,
        amountMinor: 105,
      },
    ]);
    expect((await api.get(`/invoices/${res.body.id}`)).body).toEqual(res.body);
  });

  it('bills the next period with the usage that fell into it', async () => {
    const { subscription } = await api.subscription(LONG_AGO);
    await usage(
      subscription.id,
      'next-1',
      'api_calls',
      1500,
      '2024-02-10T00:00:00Z',
    );
    const first = await api.post('/invoices', {
      subscriptionId: subscription.id,
    });
    const second = await api.post('/invoices', {
      subscriptionId: subscription.id,
    });
    expect(first.body.totalMinor).toBe(4900);
    expect(second.body.period.start).toBe('2024-02-01T00:00:00.000Z');
    expect(second.body.totalMinor).toBe(4900 + 500 * 2);
    const list = await api.get(`/subscriptions/${subscription.id}/invoices`);
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([
      first.body.id,
      second.body.id,
    ]);
  });

  it('refuses to invoice a period that has not ended yet', async () => {
    const { subscription } = await api.subscription();
    const res = await api.post('/invoices', {
      subscriptionId: subscription.id,
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('period_not_closed');
    expect(res.body.error.message).toContain(subscription.currentPeriod.end);
  });

  it('finalizes a draft into an open invoice with the next number, without gaps', async () => {
    const numbers: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { invoice } = await api.openInvoice();
      expect(invoice.status).toBe('open');
      expect(invoice.finalizedAt).not.toBeNull();
      numbers.push(invoice.number);
    }
    const values = numbers.map(n => Number(n.replace('INV-', '')));
    expect(numbers.every(n => /^INV-\d{6}$/.test(n))).toBe(true);
    expect(values).toEqual([values[0], values[0] + 1, values[0] + 2]);
  });

  it('refuses to finalize an invoice twice', async () => {
    const { invoice } = await api.openInvoice();
    const res = await api.post(`/invoices/${invoice.id}/finalize`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('invoice_not_draft');
  });

  it('marks an open invoice paid when the payment matches its total', async () => {
    const { invoice } = await api.openInvoice();
    const res = await api.post(`/invoices/${invoice.id}/mark-paid`, {
      amountMinor: invoice.totalMinor,
      currency: 'EUR',
      reference: 'bank-42',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'paid',
      paymentReference: 'bank-42',
    });
    expect(res.body.paidAt).not.toBeNull();
    const again = await api.post(`/invoices/${invoice.id}/mark-paid`, {
      amountMinor: invoice.totalMinor,
      currency: 'EUR',
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('invoice_already_paid');
  });

  it('refuses a payment that does not match the total or the currency', async () => {
    const { invoice } = await api.openInvoice();
    const short = await api.post(`/invoices/${invoice.id}/mark-paid`, {
      amountMinor: invoice.totalMinor - 1,
      currency: 'EUR',
    });
    expect(short.status).toBe(422);
    expect(short.body.error.code).toBe('payment_mismatch');
    const wrongCurrency = await api.post(`/invoices/${invoice.id}/mark-paid`, {
      amountMinor: invoice.totalMinor,
      currency: 'USD',
    });
    expect(wrongCurrency.status).toBe(422);
    expect((await api.get(`/invoices/${invoice.id}`)).body.status).toBe('open');
  });

  it('refuses to mark a draft paid', async () => {
    const { subscription } = await api.subscription(LONG_AGO);
    const draft = (
      await api.post('/invoices', { subscriptionId: subscription.id })
    ).body;
    const res = await api.post(`/invoices/${draft.id}/mark-paid`, {
      amountMinor: draft.totalMinor,
      currency: 'EUR',
    });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('invoice_not_finalized');
  });

  it('invoices consecutive periods once each when asked concurrently', async () => {
    const { subscription } = await api.subscription(LONG_AGO);
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        api.post('/invoices', { subscriptionId: subscription.id }),
      ),
    );
    expect(results.map(r => r.status)).toEqual([201, 201, 201, 201]);
    const starts = results.map(r => r.body.period.start).sort();
    expect(starts).toEqual([
      '2024-01-01T00:00:00.000Z',
      '2024-02-01T00:00:00.000Z',
      '2024-03-01T00:00:00.000Z',
      '2024-04-01T00:00:00.000Z',
    ]);
  });

  it('bills every usage event accepted while the period is being invoiced, and refuses the rest', async () => {
    const { subscription } = await api.subscription(LONG_AGO, {
      meters: [{ meter: 'api_calls', unitAmountMinor: 1, includedQuantity: 0 }],
    });
    const events = Array.from({ length: 20 }, (_, i) =>
      usage(
        subscription.id,
        `race-${i}`,
        'api_calls',
        1,
        '2024-01-15T00:00:00Z',
      ),
    );
    const invoicing = api.post('/invoices', {
      subscriptionId: subscription.id,
    });
    const [invoice, ...recorded] = await Promise.all([invoicing, ...events]);
    const accepted = recorded.filter(r => r.status === 201).length;
    const refused = recorded.filter(
      r => r.status === 409 && r.body.error.code === 'period_closed',
    ).length;
    expect(accepted + refused).toBe(20);
    const usageLine = invoice.body.lines.find(
      (l: { meter: string | null }) => l.meter === 'api_calls',
    );
    expect(usageLine.quantity).toBe(accepted);
  });
});

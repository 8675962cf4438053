import { startTestService, type TestService } from './support/harness.js';
import {
  BILLING_ENV,
  billingClient,
  TEST_WEBHOOK_SECRET,
  type BillingClient,
} from './support/billing-client.js';

describe('signed PSP webhooks', () => {
  let service: TestService;
  let api: BillingClient;
  beforeAll(async () => {
    service = await startTestService({ env: BILLING_ENV });
    api = billingClient(service);
  });
  afterAll(() => service?.stop());

  let counter = 0;
  const eventId = () => `evt_${Date.now()}_${++counter}`;
  const succeeded = (
    invoice: { id: string; totalMinor: number },
    id = eventId(),
  ) => ({
    id,
    type: 'payment_succeeded',
    data: {
      invoiceId: invoice.id,
      amountMinor: invoice.totalMinor,
      currency: 'EUR',
      paymentId: `pay_${id}`,
    },
  });
  const invoiceStatus = async (id: string) =>
    (await api.get(`/invoices/${id}`)).body.status;

  it('marks the invoice paid on a correctly signed payment_succeeded', async () => {
    const { invoice } = await api.openInvoice();
    const event = succeeded(invoice);
    const res = await api.webhook(event);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      received: true,
      eventId: event.id,
      applied: true,
      duplicate: false,
    });
    const paid = (await api.get(`/invoices/${invoice.id}`)).body;
    expect(paid).toMatchObject({
      status: 'paid',
      paymentReference: `pay_${event.id}`,
    });
  });

  it('acknowledges a replayed event id without applying it again, even when freshly re-signed', async () => {
    const { invoice } = await api.openInvoice();
    const event = succeeded(invoice);
    await api.webhook(event);
    const replay = await api.webhook(event);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ applied: false, duplicate: true });
    const [{ count }] = await service.db.query<{ count: string }>(
      'SELECT count(*)::text AS count FROM psp_events WHERE event_id = $1',
      [event.id],
    );
    expect(count).toBe('1');
  });

  it('refuses a signature made with another secret and leaves the invoice open', async () => {
    const { invoice } = await api.openInvoice();
    const res = await api.webhook(succeeded(invoice), {
      secret: 'whsec_an_attacker_guess_1234',
    });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_signature');
    expect(await invoiceStatus(invoice.id)).toBe('open');
  });

  it('refuses a correctly signed event whose timestamp is outside the tolerance window', async () => {
    const { invoice } = await api.openInvoice();
    const res = await api.webhook(succeeded(invoice), {
      timestamp: Math.floor(Date.now() / 1000) - 3600,
    });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('signature_expired');
    expect(await invoiceStatus(invoice.id)).toBe('open');
  });

  it('refuses a body altered after signing', async () => {
    const { invoice } = await api.openInvoice();
    const event = succeeded(invoice);
    const t = Math.floor(Date.now() / 1000);
    const { signatureHeader } = await import('../src/domain/psp/signature.js');
    const header = signatureHeader(
      TEST_WEBHOOK_SECRET,
      t,
      JSON.stringify({ ...event, data: { ...event.data, amountMinor: 1 } }),
    );
    const res = await api.webhook(event, { header });
    expect(res.status).toBe(401);
    expect(await invoiceStatus(invoice.id)).toBe('open');
  });

  it('refuses a request without a signature header, or with a malformed one', async () => {
    const { invoice } = await api.openInvoice();
    const raw = JSON.stringify(succeeded(invoice));
    const missing = await api.send('POST', '/webhooks/psp', raw);
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('missing_signature');
    const malformed = await api.webhook(succeeded(invoice), {
      header: 'sha256=deadbeef',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('malformed_signature');
    expect(await invoiceStatus(invoice.id)).toBe('open');
  });

  it('refuses a payment for the wrong amount without recording the event, so a corrected retry applies', async () => {
    const { invoice } = await api.openInvoice();
    const id = eventId();
    const wrong = await api.webhook(
      succeeded({ id: invoice.id, totalMinor: invoice.totalMinor + 1 }, id),
    );
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.code).toBe('payment_mismatch');
    const right = await api.webhook(succeeded(invoice, id));
    expect(right.body).toMatchObject({ applied: true, duplicate: false });
    expect(await invoiceStatus(invoice.id)).toBe('paid');
  });

  it('makes the subscription past due on payment_failed and active again once the invoice is paid', async () => {
    const { invoice, subscription } = await api.openInvoice();
    const failed = await api.webhook({
      id: eventId(),
      type: 'payment_failed',
      data: { invoiceId: invoice.id },
    });
    expect(failed.status).toBe(200);
    expect(
      (await api.get(`/subscriptions/${subscription.id}`)).body.status,
    ).toBe('past_due');
    expect(await invoiceStatus(invoice.id)).toBe('open');

    await api.webhook(succeeded(invoice));
    expect(
      (await api.get(`/subscriptions/${subscription.id}`)).body.status,
    ).toBe('active');
  });

  it('acknowledges event types billing does not act on, including prototype names', async () => {
    for (const type of [
      'customer_updated',
      'constructor',
      '__proto__',
      'toString',
    ]) {
      const res = await api.webhook({ id: eventId(), type, data: {} });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ applied: false, duplicate: false });
    }
  });

  it('answers 404 for a payment on an unknown invoice', async () => {
    const res = await api.webhook(
      succeeded({ id: '00000000-0000-4000-8000-000000000000', totalMinor: 1 }),
    );
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('invoice_not_found');
  });

  it('needs no Idempotency-Key: the PSP does not send one', async () => {
    const res = await api.webhook({
      id: eventId(),
      type: 'customer_updated',
      data: {},
    });
    expect(res.status).toBe(200);
  });
});

describe('PSP webhook configuration', () => {
  it('answers 503 while PSP_WEBHOOK_SECRET is unset, and serves the rest of the API', async () => {
    const service = await startTestService();
    try {
      const api = billingClient(service);
      const res = await api.webhook({
        id: 'evt_unconfigured',
        type: 'payment_succeeded',
        data: {},
      });
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('webhook_not_configured');
      expect((await api.get('/plans')).status).toBe(200);
    } finally {
      await service.stop();
    }
  });

  it('verifies with the configured secret, not a built-in one', async () => {
    const service = await startTestService({
      env: { PSP_WEBHOOK_SECRET: 'whsec_another_deployment_0001' },
    });
    try {
      const api = billingClient(service);
      const event = {
        id: 'evt_other_secret',
        type: 'customer_updated',
        data: {},
      };
      expect((await api.webhook(event)).status).toBe(401);
      expect(
        (await api.webhook(event, { secret: 'whsec_another_deployment_0001' }))
          .status,
      ).toBe(200);
    } finally {
      await service.stop();
    }
  });

  it('refuses to start with a secret too short to be safe, naming the variable', async () => {
    await expect(
      startTestService({ env: { PSP_WEBHOOK_SECRET: 'short' } }),
    ).rejects.toThrow(/PSP_WEBHOOK_SECRET/);
  });
});

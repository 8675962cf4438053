import {
  natsUrl,
  publishedEvents,
  type PublishedEvents,
} from '@paver/events/testing';
import { SERVICE_NAME } from '../src/event-contract.js';
import {
  BILLING_ENV,
  billingClient,
  type BillingClient,
} from './support/billing-client.js';
import { startTestService, type TestService } from './support/harness.js';

type Data = Record<string, string>;

// The events asyncapi.yaml says this service sends, as they reach NATS (the run's nats-server).
describe('events: subscription.activated and invoice.issued', () => {
  let service: TestService;
  let api: BillingClient;
  let activated: PublishedEvents;
  let issued: PublishedEvents;
  beforeAll(async () => {
    service = await startTestService({ env: BILLING_ENV });
    api = billingClient(service);
    [activated, issued] = await Promise.all([
      publishedEvents(natsUrl(), `${SERVICE_NAME}.subscription.activated.v1`),
      publishedEvents(natsUrl(), `${SERVICE_NAME}.invoice.issued.v1`),
    ]);
  });
  afterAll(async () => {
    await Promise.all([activated?.close(), issued?.close()]);
    await service?.stop();
  });

  it('announces a new subscription with whom to tell and the plan', async () => {
    const { plan, customer, subscription } = await api.subscription();
    const event = await activated.find(
      e => (e.data as Data).subscriptionId === subscription.id,
    );
    expect(event.data).toEqual({
      subscriptionId: subscription.id,
      customerId: customer.id,
      email: customer.email,
      planId: plan.id,
      planName: plan.name,
      currentPeriodEnd: subscription.currentPeriod.end,
    });
  });

  it('announces an invoice when it is finalized, not while it is a draft', async () => {
    const { invoice } = await api.openInvoice();
    const event = await issued.find(
      e => (e.data as Data).invoiceId === invoice.id,
    );
    expect(event.data).toEqual({
      invoiceId: invoice.id,
      number: invoice.number,
      customerId: invoice.customerId,
      email: 'ada@example.com',
      totalMinor: String(invoice.totalMinor),
      currency: invoice.currency,
    });
    const refused = await api.post(`/invoices/${invoice.id}/finalize`);
    expect(refused.status).toBe(409);
    const announced = await service.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM paver_outbox WHERE envelope -> 'data' ->> 'invoiceId' = $1`,
      [invoice.id],
    );
    expect(announced).toEqual([{ n: 1 }]);
  });
});

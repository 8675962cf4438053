import { randomUUID } from 'node:crypto';
import { startTestService } from '@paver/service-runtime/testing';
import { billingService } from './__fixtures__/billing/service.js';
import {
  publishedEvents,
  startNats,
  type ThrowawayNats,
} from './testing/index.js';

let nats: ThrowawayNats;
beforeAll(async () => {
  nats = await startNats();
});
afterAll(() => nats?.stop());

describe('events run by the runtime beside a service', () => {
  it('publishes what a request committed, and stops with the service', async () => {
    const service = await startTestService(billingService, {
      env: { NATS_URL: nats.url },
    });
    const watch = await publishedEvents(
      nats.url,
      'billing-service.invoice.issued.v1',
    );
    try {
      const invoice = {
        invoiceId: randomUUID(),
        customerId: randomUUID(),
        totalMinor: 900,
        currency: 'EUR',
      };
      const answer = await fetch(`${service.baseUrl}/invoices`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(invoice),
      });
      expect(answer.status).toBe(201);
      const event = await watch.find(
        e => (e.data as typeof invoice).invoiceId === invoice.invoiceId,
      );
      expect(event).toMatchObject({
        source: 'billing-service',
        type: 'invoice.issued',
        data: invoice,
      });
      await expect
        .poll(
          async () =>
            (
              await service.db.query(
                'SELECT count(*)::int AS n FROM paver_outbox WHERE published_at IS NULL',
              )
            )[0],
        )
        .toEqual({ n: 0 });
      expect((await fetch(`${service.baseUrl}/healthz`)).status).toBe(200);
    } finally {
      await watch.close();
      await service.stop();
    }
  });

  it('refuses to start without NATS_URL, naming it, before the port opens', async () => {
    await expect(startTestService(billingService)).rejects.toThrow(
      'NATS_URL must be set',
    );
  });
});

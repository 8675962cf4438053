import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishEvent, startNats, type ThrowawayNats } from '@paver/events/testing';
import { eventContract } from '../src/event-contract.js';
import { apiClient, eventually, expectOk, TEST_ENV, testDispatcher, type Api } from './fixtures.js';
import { startTestService, type TestService } from './support/harness.js';

let nats: ThrowawayNats;
let service: TestService;
let api: Api;

// A NATS of this file's own: the services other test files run would take these events too
// (each schema is a consumer of its own) and find notifications they did not ask for.
beforeAll(async () => {
  nats = await startNats();
  service = await startTestService({ env: { ...TEST_ENV, NATS_URL: nats.url } });
  api = apiClient(service);
});
afterAll(async () => {
  await service?.stop();
  await nats?.stop();
});

/** Publishes `type` v1 as its producer (named in asyncapi.yaml) would. */
function received(type: string, data: Record<string, string>) {
  const { source } = eventContract.events.find(e => e.action === 'receive' && e.type === type)!;
  return publishEvent(nats.url, { source, type, version: 1, data });
}

/** The notification the consumer accepted for an event, once it has. */
function notificationFor(eventId: string) {
  return eventually(async () => {
    const [row] = await service.db.query<{ notification_id: string; template_key: string; channel: string; suppressed: boolean }>(
      'SELECT notification_id, template_key, channel, suppressed FROM notifications WHERE idempotency_key = $1',
      [`event:${eventId}`],
    );
    return row;
  }, `the notification for event ${eventId}`);
}

/** Delivers what is due through a recording email adapter; returns what it sent. */
async function dispatched() {
  const { dispatcher, adapters } = testDispatcher(service);
  while ((await dispatcher.runOnce()).claimed > 0);
  return adapters.email.delivered();
}

describe('events this service receives become emails', () => {
  it('welcomes a new account at the address it signed up with', async () => {
    const userId = randomUUID();
    const event = await received('user.registered', { userId, email: 'lin@example.org', registeredAt: new Date().toISOString() });
    expect(await notificationFor(event.id)).toMatchObject({ template_key: 'welcome', channel: 'email', suppressed: false });
    expect(await expectOk(api.get(`/recipients/${userId}`))).toMatchObject({ email: 'lin@example.org', optedOut: [] });
    const [email] = (await dispatched()).filter(m => m.recipientId === userId);
    expect(email).toMatchObject({ address: 'lin@example.org', subject: 'Welcome aboard' });
    expect(email.body).toContain('your account for lin@example.org is ready');
  });

  it('tells a customer their subscription is active and their invoice issued, in their currency', async () => {
    const customerId = randomUUID();
    const activated = await received('subscription.activated', {
      customerId, email: 'ada@example.com', planName: 'Pro', currentPeriodEnd: '2027-01-01T00:00:00.000Z', subscriptionId: randomUUID(),
    });
    const issued = await received('invoice.issued', { customerId, email: 'ada@example.com', number: 'INV-000042', totalMinor: '4900', currency: 'EUR' });
    await notificationFor(activated.id);
    await notificationFor(issued.id);
    const emails = (await dispatched()).filter(m => m.recipientId === customerId);
    expect(emails.map(m => m.subject).sort()).toEqual(['Invoice INV-000042', 'Your Pro subscription is active']);
    expect(emails.find(m => m.subject === 'Invoice INV-000042')?.body).toContain('for €49.00 has been issued');
  });

  it('keeps what the recipient chose: an opt-out suppresses the email, and their language stays', async () => {
    const customerId = randomUUID();
    await expectOk(api.put(`/recipients/${customerId}`, { email: 'old@example.com', locale: 'en-GB', optedOut: ['email'] }));
    const issued = await received('invoice.issued', { customerId, email: 'new@example.com', number: 'INV-000043', totalMinor: '100', currency: 'JPY' });
    expect(await notificationFor(issued.id)).toMatchObject({ suppressed: true });
    expect(await expectOk(api.get(`/recipients/${customerId}`))).toMatchObject({ email: 'new@example.com', locale: 'en-GB', optedOut: ['email'] });
  });
});

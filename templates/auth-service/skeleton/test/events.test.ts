import { randomUUID } from 'node:crypto';
import { natsUrl, publishedEvents, type PublishedEvents } from '@paver/events/testing';
import { SERVICE_NAME } from '../src/event-contract.js';
import { startAuthApi, type AuthApi } from './support/auth-client.js';

// The events asyncapi.yaml says this service sends, as they reach NATS (the run's nats-server,
// which every test file's services publish to: each test signs up an address of its own).
const freshEmail = (name: string) => `${name}-${randomUUID().slice(0, 8)}@example.org`;

describe('events: user.registered', () => {
  let api: AuthApi;
  let registered: PublishedEvents;
  beforeAll(async () => {
    api = await startAuthApi();
    registered = await publishedEvents(natsUrl(), `${SERVICE_NAME}.user.registered.v1`);
  });
  afterAll(async () => {
    await registered?.close();
    await api?.service.stop();
  });

  it('announces a new account once it is created, with its id and email', async () => {
    const email = freshEmail('lin');
    const res = await api.signUp(email);
    expect(res.status).toBe(202);
    const event = await registered.find(e => (e.data as { email: string }).email === email);
    expect(event.source).toBe(SERVICE_NAME);
    expect(event.data).toEqual({ userId: await api.userId(email), email, registeredAt: expect.any(String) });
  });

  it('announces nothing for a sign-up whose email already has an account', async () => {
    const email = freshEmail('joan');
    await api.signUp(email);
    await api.signUp(email.toUpperCase(), 'another long passphrase');
    await registered.find(e => (e.data as { email: string }).email === email);
    const announced = await api.service.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM paver_outbox WHERE lower(envelope -> 'data' ->> 'email') = $1`,
      [email],
    );
    expect(announced).toEqual([{ n: 1 }]);
  });
});

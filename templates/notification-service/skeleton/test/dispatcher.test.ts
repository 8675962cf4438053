import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './support/harness.js';
import { apiClient, expectOk, outboxRow, seed, TEST_ENV, testDispatcher, type Api } from './fixtures.js';

let service: TestService;
let api: Api;

beforeAll(async () => {
  service = await startTestService({ env: TEST_ENV });
  api = apiClient(service);
});
afterAll(() => service?.stop());

/** Queues `count` notifications on a fresh recipient and returns their message ids. */
async function queue(channel: 'email' | 'sms' | 'in_app', count = 1): Promise<string[]> {
  const { recipientId, template } = await seed(api);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = await expectOk(api.notify({ recipientId, channel, template, variables: { name: `n${i}` } }));
    ids.push(n.messageId);
  }
  return ids;
}

/** Sends everything earlier tests left pending (retries included), so it does not count here. */
async function drain() {
  const { dispatcher, clock } = testDispatcher(service);
  clock.advance(86_400_000);
  while ((await dispatcher.runOnce()).claimed > 0);
}

describe('the dispatcher', () => {
  it('sends a due message once and marks it sent with the provider id', async () => {
    await drain();
    const [messageId] = await queue('email');
    const { dispatcher, adapters } = testDispatcher(service);
    const report = await dispatcher.runOnce();
    expect(report).toMatchObject({ claimed: 1, sent: 1 });
    expect(adapters.email.delivered().map(m => m.messageId)).toEqual([messageId]);
    expect(adapters.email.delivered()[0]).toMatchObject({ subject: 'Hi n0', body: 'Welcome, n0!' });
    expect((await dispatcher.runOnce()).claimed).toBe(0);
    const entry = (await service.db.query<{ status: string; provider_message_id: string }>(
      'SELECT status, provider_message_id FROM outbox WHERE message_id = $1', [messageId]))[0];
    expect(entry).toEqual({ status: 'sent', provider_message_id: 'email-1' });
  });

  it('shows the delivery on the notification', async () => {
    const { recipientId, template } = await seed(api);
    const created = await expectOk(api.notify({ recipientId, channel: 'sms', template, variables: { name: 'Ada' } }));
    await testDispatcher(service).dispatcher.runOnce();
    const read = await expectOk(api.get(`/notifications/${created.notificationId}`));
    expect(read).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
  });

  it('retries a retryable failure with exponential backoff', async () => {
    await drain();
    const [messageId] = await queue('sms');
    const { dispatcher, adapters, clock } = testDispatcher(service);
    adapters.sms.failNext(2, { retryable: true, reason: 'gateway timeout' });

    const t0 = clock.now().getTime();
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
    let row = await outboxRow(service.db, messageId);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'gateway timeout' });
    expect(row.next_attempt_at.getTime()).toBe(t0 + 1_000);

    clock.advance(999);
    expect((await dispatcher.runOnce()).claimed).toBe(0);
    clock.advance(1);
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
    row = await outboxRow(service.db, messageId);
    expect(row.next_attempt_at.getTime()).toBe(t0 + 1_000 + 2_000);

    clock.advance(2_000);
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    expect(await outboxRow(service.db, messageId)).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
    expect(adapters.sms.calls.map(c => c.message.messageId)).toEqual([messageId, messageId, messageId]);
  });

  it('dead-letters a message after max attempts and lists it under /dead-letters', async () => {
    await drain();
    const [messageId] = await queue('email');
    const { dispatcher, adapters, clock } = testDispatcher(service);
    adapters.email.failNext(3, { retryable: true, reason: 'smtp 451' });
    for (let attempt = 0; attempt < 3; attempt++) {
      await dispatcher.runOnce();
      clock.advance(60_000);
    }
    expect(await outboxRow(service.db, messageId)).toMatchObject({ status: 'dead', attempts: 3, last_error: 'gave up after 3 attempts: smtp 451' });
    expect((await dispatcher.runOnce()).claimed).toBe(0);
    expect(adapters.email.calls).toHaveLength(3);
    const dead = await expectOk(api.get('/dead-letters'));
    expect(dead.messages.map((m: { messageId: string }) => m.messageId)).toContain(messageId);
  });

  it('dead-letters a permanent failure at once', async () => {
    await drain();
    const [messageId] = await queue('sms');
    const { dispatcher, adapters } = testDispatcher(service);
    adapters.sms.failNext(1, { retryable: false, reason: 'number not in service' });
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, deadLettered: 1 });
    expect(await outboxRow(service.db, messageId)).toMatchObject({ status: 'dead', attempts: 1, last_error: 'permanent failure: number not in service' });
  });

  it('treats an adapter that throws as a retryable failure', async () => {
    await drain();
    const [messageId] = await queue('email');
    const { dispatcher, adapters } = testDispatcher(service);
    adapters.email.send = async () => {
      throw new Error('socket hang up');
    };
    expect(await dispatcher.runOnce()).toMatchObject({ retried: 1 });
    expect(await outboxRow(service.db, messageId)).toMatchObject({ status: 'pending', last_error: 'socket hang up' });
  });

  it('sends a retried dead letter again with a fresh attempt budget', async () => {
    await drain();
    const [messageId] = await queue('sms');
    const { dispatcher, adapters } = testDispatcher(service);
    adapters.sms.failNext(1, { retryable: false, reason: 'rejected' });
    await dispatcher.runOnce();
    const retried = await api.post(`/dead-letters/${messageId}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await dispatcher.runOnce()).toMatchObject({ sent: 1 });
    const again = await api.post(`/dead-letters/${messageId}/retry`);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe(`message '${messageId}' is sent, not dead; only dead letters can be retried`);
  });

  it('does not send a queued message once the recipient has opted out of its channel', async () => {
    await drain();
    const { recipientId, template } = await seed(api);
    const created = await expectOk(api.notify({ recipientId, channel: 'email', template, variables: { name: 'Ada' } }));
    await expectOk(api.put(`/recipients/${recipientId}`, { email: `${recipientId}@example.com`, optedOut: ['email'] }));
    const { dispatcher, adapters } = testDispatcher(service);
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, suppressed: 1 });
    expect(adapters.email.calls).toHaveLength(0);
    expect((await expectOk(api.get(`/notifications/${created.notificationId}`))).status).toBe('suppressed');
  });
});

describe('concurrent dispatchers', () => {
  it('never send a message twice when four run over the same outbox at once', async () => {
    await drain();
    const ids = [...(await queue('email', 30)), ...(await queue('sms', 30))];
    // Small batches make the dispatchers claim again and again. Each one's first send waits until
    // all four hold a claim, so every dispatcher takes part and their rounds overlap.
    const dispatchers = Array.from({ length: 4 }, () => testDispatcher(service, { batchSize: 3 }));
    let waiting = dispatchers.length;
    let allClaimed!: () => void;
    const barrier = new Promise<void>(resolve => (allClaimed = resolve));
    for (const d of dispatchers) {
      let first = true;
      for (const adapter of [d.adapters.email, d.adapters.sms]) {
        const send = adapter.send.bind(adapter);
        adapter.send = async message => {
          if (first) {
            first = false;
            if (--waiting === 0) allClaimed();
            await barrier;
          }
          await new Promise(resolve => setTimeout(resolve, 2));
          return send(message);
        };
      }
    }
    const runUntilEmpty = async (d: (typeof dispatchers)[number]) => {
      while ((await d.dispatcher.runOnce()).claimed > 0);
    };
    await Promise.all(dispatchers.map(runUntilEmpty));
    const sends = dispatchers.flatMap(d => [...d.adapters.email.calls, ...d.adapters.sms.calls]).map(c => c.message.messageId);
    expect(sends.sort()).toEqual([...ids].sort());
    expect(dispatchers.every(d => d.adapters.email.calls.length + d.adapters.sms.calls.length > 0)).toBe(true);
  });

  it("hand a message to another dispatcher once the first one's lease expired, and ignore the late outcome", async () => {
    await drain();
    const [messageId] = await queue('sms');
    const stale = testDispatcher(service);
    const rescuer = testDispatcher(service);
    // Each dispatcher's send waits at a gate the test opens; the stale one then fails permanently.
    const gate = () => {
      let open!: () => void;
      return { opened: new Promise<void>(resolve => (open = resolve)), open: () => open() };
    };
    const staleGate = gate();
    const rescuerGate = gate();
    stale.adapters.sms.failNext(1, { retryable: false, reason: 'stale verdict' });
    for (const [d, g] of [[stale, staleGate], [rescuer, rescuerGate]] as const) {
      const send = d.adapters.sms.send.bind(d.adapters.sms);
      d.adapters.sms.send = async message => {
        await g.opened;
        return send(message);
      };
    }
    const staleRound = stale.dispatcher.runOnce();
    await waitFor(async () => (await outboxRow(service.db, messageId)).attempts === 1);
    expect((await rescuer.dispatcher.runOnce()).claimed).toBe(0);

    rescuer.clock.advance(30_000);
    const rescueRound = rescuer.dispatcher.runOnce();
    await waitFor(async () => (await outboxRow(service.db, messageId)).attempts === 2);
    staleGate.open();
    expect(await staleRound).toMatchObject({ claimed: 1, lostClaims: 1 });
    expect(await outboxRow(service.db, messageId)).toMatchObject({ status: 'pending' });
    rescuerGate.open();
    expect(await rescueRound).toMatchObject({ claimed: 1, sent: 1 });
    expect(await outboxRow(service.db, messageId)).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
  });
});

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  throw new Error('condition not met');
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './support/harness.js';
import { apiClient, expectOk, seed, TEST_ENV, testDispatcher, type Api } from './fixtures.js';

let service: TestService;
let api: Api;

beforeAll(async () => {
  service = await startTestService({ env: TEST_ENV });
  api = apiClient(service);
});
afterAll(() => service?.stop());

const PERIOD = Number(TEST_ENV.NOTIFY_DIGEST_PERIOD_MS);

async function lowPriority(recipientId: string, template: string, name: string, channel = 'email') {
  return expectOk(api.notify({ recipientId, channel, template, priority: 'low', variables: { name } }));
}

describe('digests', () => {
  it('batches low-priority notifications into one message per recipient and period', async () => {
    const { recipientId, template } = await seed(api);
    const a = await lowPriority(recipientId, template, 'Ada');
    const b = await lowPriority(recipientId, template, 'Bob');
    expect(a).toMatchObject({ status: 'batched', messageId: null });
    expect(b.digestId).toBe(a.digestId);

    const { dispatcher, adapters, clock } = testDispatcher(service);
    expect((await dispatcher.runOnce()).digestsClosed).toBe(0);
    expect(adapters.email.calls).toHaveLength(0);

    clock.advance(PERIOD);
    expect(await dispatcher.runOnce()).toMatchObject({ digestsClosed: 1, sent: 1 });
    const mine = adapters.email.delivered().filter(m => m.recipientId === recipientId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ subject: 'You have 2 new notifications', body: '- Hi Ada\n- Hi Bob', address: `${recipientId}@example.com` });
    const read = await expectOk(api.get(`/notifications/${a.notificationId}`));
    expect(read).toMatchObject({ status: 'sent', messageId: mine[0].messageId });
  });

  it('keeps recipients and channels in separate digests', async () => {
    const one = await seed(api);
    const two = await seed(api);
    const a = await lowPriority(one.recipientId, one.template, 'Ada', 'email');
    const b = await lowPriority(one.recipientId, one.template, 'Ada', 'sms');
    const c = await lowPriority(two.recipientId, two.template, 'Cy', 'email');
    expect(new Set([a.digestId, b.digestId, c.digestId]).size).toBe(3);
  });

  it('opens a new digest for notifications that arrive after the last one was sent', async () => {
    const { recipientId, template } = await seed(api);
    const first = await lowPriority(recipientId, template, 'Ada');
    const { dispatcher, clock } = testDispatcher(service);
    clock.advance(PERIOD);
    await dispatcher.runOnce();
    const later = await lowPriority(recipientId, template, 'Bob');
    expect(later.digestId).not.toBe(first.digestId);
    expect(later.status).toBe('batched');
  });

  it('sends high-priority notifications at once, outside the digest', async () => {
    const { recipientId, template } = await seed(api);
    await lowPriority(recipientId, template, 'Ada');
    const urgent = await expectOk(api.notify({ recipientId, channel: 'email', template, priority: 'high', variables: { name: 'Now' } }));
    expect(urgent).toMatchObject({ status: 'queued', digestId: null });
    const { dispatcher, adapters } = testDispatcher(service);
    await dispatcher.runOnce();
    expect(adapters.email.delivered().filter(m => m.recipientId === recipientId).map(m => m.subject)).toEqual(['Hi Now']);
  });

  it('words the digest with a stored digest template for the channel', async () => {
    const { recipientId, template } = await seed(api);
    await expectOk(api.put('/templates/digest/sms/en', { body: '{{count}} updates:\n{{items}}' }));
    await lowPriority(recipientId, template, 'Ada', 'sms');
    await lowPriority(recipientId, template, 'Bob', 'sms');
    const { dispatcher, adapters, clock } = testDispatcher(service);
    clock.advance(PERIOD);
    await dispatcher.runOnce();
    const mine = adapters.sms.delivered().filter(m => m.recipientId === recipientId);
    expect(mine.map(m => m.body)).toEqual(['2 updates:\n- Welcome Ada\n- Welcome Bob']);
  });

  it('closes a digest without sending when the recipient opted out while it was open', async () => {
    const { recipientId, template } = await seed(api);
    const queued = await lowPriority(recipientId, template, 'Ada');
    await expectOk(api.put(`/recipients/${recipientId}`, { email: `${recipientId}@example.com`, optedOut: ['email'] }));
    const { dispatcher, adapters, clock } = testDispatcher(service);
    clock.advance(PERIOD);
    await dispatcher.runOnce();
    expect(adapters.email.calls.filter(c => c.message.recipientId === recipientId)).toHaveLength(0);
    expect((await expectOk(api.get(`/notifications/${queued.notificationId}`))).status).toBe('suppressed');
  });

  it('builds each digest once when two dispatchers flush at the same moment', async () => {
    const { recipientId, template } = await seed(api);
    for (const name of ['a', 'b', 'c']) await lowPriority(recipientId, template, name, 'in_app');
    const first = testDispatcher(service);
    const second = testDispatcher(service);
    first.clock.advance(PERIOD);
    second.clock.advance(PERIOD);
    await Promise.all([first.dispatcher.runOnce(), second.dispatcher.runOnce()]);
    const inbox = await expectOk(api.get(`/recipients/${recipientId}/inbox`));
    expect(inbox.messages).toHaveLength(1);
    expect(inbox.messages[0].body).toBe('You have 3 new notifications:\n- Hello a\n- Hello b\n- Hello c');
  });

  it('joins concurrent low-priority notifications into one open digest', async () => {
    const { recipientId, template } = await seed(api);
    const created = await Promise.all(['a', 'b', 'c', 'd', 'e'].map(name => lowPriority(recipientId, template, name)));
    expect(new Set(created.map(n => n.digestId)).size).toBe(1);
  });
});

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

/** Sends `names.length` in-app notifications to a fresh recipient and delivers them, oldest first. */
async function deliverInApp(names: string[]) {
  const { recipientId, template } = await seed(api);
  const { dispatcher, clock } = testDispatcher(service);
  for (const name of names) {
    await expectOk(api.notify({ recipientId, channel: 'in_app', template, variables: { name } }));
    await dispatcher.runOnce();
    clock.advance(1_000);
  }
  return recipientId;
}

describe('the in-app inbox', () => {
  it('lists delivered in-app messages newest first, all unread', async () => {
    const recipientId = await deliverInApp(['Ada', 'Bob']);
    const inbox = await expectOk(api.get(`/recipients/${recipientId}/inbox`));
    expect(inbox.unreadCount).toBe(2);
    expect(inbox.messages.map((m: { subject: string; read: boolean }) => [m.subject, m.read])).toEqual([
      ['Hello Bob', false],
      ['Hello Ada', false],
    ]);
  });

  it('marks a message read, keeps the first read time, and filters unread', async () => {
    const recipientId = await deliverInApp(['Ada', 'Bob']);
    const [newest] = (await expectOk(api.get(`/recipients/${recipientId}/inbox`))).messages;
    const read = await expectOk(api.post(`/recipients/${recipientId}/inbox/${newest.messageId}/read`));
    expect(read).toMatchObject({ messageId: newest.messageId, read: true });
    const again = await expectOk(api.post(`/recipients/${recipientId}/inbox/${newest.messageId}/read`));
    expect(again.readAt).toBe(read.readAt);
    const unread = await expectOk(api.get(`/recipients/${recipientId}/inbox?unread=true`));
    expect(unread.unreadCount).toBe(1);
    expect(unread.messages.map((m: { subject: string }) => m.subject)).toEqual(['Hello Ada']);
  });

  it("does not let one recipient mark another's message read", async () => {
    const owner = await deliverInApp(['Ada']);
    const other = await deliverInApp(['Eve']);
    const [message] = (await expectOk(api.get(`/recipients/${owner}/inbox`))).messages;
    const res = await api.post(`/recipients/${other}/inbox/${message.messageId}/read`);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(`recipient '${other}' has no in-app message '${message.messageId}'`);
  });

  it('stores a message sent twice (after a lost lease) once', async () => {
    const recipientId = await deliverInApp(['Ada']);
    const [message] = (await expectOk(api.get(`/recipients/${recipientId}/inbox`))).messages;
    const { adapters } = testDispatcher(service);
    await adapters.in_app.send({ messageId: message.messageId, channel: 'in_app', recipientId, address: null, subject: 'dup', body: 'dup' });
    const inbox = await expectOk(api.get(`/recipients/${recipientId}/inbox`));
    expect(inbox.messages).toHaveLength(1);
    expect(inbox.messages[0].subject).toBe('Hello Ada');
  });

  it('rejects a malformed unread filter and limit', async () => {
    expect((await api.get('/recipients/someone/inbox?unread=yes')).body.error.message).toBe('unread must be true or false');
    expect((await api.get('/recipients/someone/inbox?limit=0')).body.error.message).toBe('limit must be an integer from 1 to 200');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './support/harness.js';
import { apiClient, expectOk, seed, TEST_ENV, type Api } from './fixtures.js';

let service: TestService;
let api: Api;

beforeAll(async () => {
  service = await startTestService({ env: TEST_ENV });
  api = apiClient(service);
});
afterAll(() => service?.stop());

const countRows = async (table: 'outbox' | 'notifications', recipientId: string) =>
  (await service.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE recipient_id = $1`, [recipientId]))[0].n;

describe('POST /notifications', () => {
  it('renders the template and writes the message to the outbox', async () => {
    const { recipientId, template } = await seed(api);
    const res = await api.notify({ recipientId, channel: 'email', template, variables: { name: 'Ada' } });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ recipientId, channel: 'email', status: 'queued', locale: 'en', priority: 'normal' });
    const [row] = await service.db.query<{ subject: string; body: string; address: string; status: string }>(
      'SELECT subject, body, address, status FROM outbox WHERE message_id = $1',
      [res.body.messageId],
    );
    expect(row).toEqual({ subject: 'Hi Ada', body: 'Welcome, Ada!', address: `${recipientId}@example.com`, status: 'pending' });
  });

  it('refuses a missing template variable with a 422 naming the variable, and queues nothing', async () => {
    const { recipientId, template } = await seed(api);
    const res = await api.notify({ recipientId, channel: 'email', template, variables: { nam: 'typo' } });
    expect(res.status).toBe(422);
    expect(res.body.error).toEqual({ code: 'missing_variable', message: `template ${template} (email/en) needs variable 'name'` });
    expect(await countRows('notifications', recipientId)).toBe(0);
  });

  it('answers 404 for an unknown recipient and for a template missing in the channel', async () => {
    const { recipientId } = await seed(api);
    const unknownRecipient = await api.notify({ recipientId: 'nobody-here', channel: 'email', template: 'x' });
    expect(unknownRecipient.status).toBe(404);
    expect(unknownRecipient.body.error.message).toBe("recipient 'nobody-here' does not exist");
    const unknownTemplate = await api.notify({ recipientId, channel: 'sms', template: 'no-such-template' });
    expect(unknownTemplate.status).toBe(404);
    expect(unknownTemplate.body.error.message).toContain("no template 'no-such-template' for channel sms");
  });

  it('refuses a channel the recipient has no address for', async () => {
    const { template } = await seed(api);
    await expectOk(api.put('/recipients/mail-only', { email: 'mail-only@example.com' }));
    const res = await api.notify({ recipientId: 'mail-only', channel: 'sms', template, variables: { name: 'x' } });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toBe("recipient 'mail-only' has no phone number for channel sms");
  });

  it.each([
    [{ channel: 'pigeon' }, 'channel must be one of email, sms, in_app'],
    [{ priority: 'urgent' }, 'priority must be one of high, normal, low'],
    [{ variables: { name: { nested: true } } }, 'variables.name must be a string or a number'],
    [{ recipientId: '../etc' }, 'recipientId must be 1-128 characters of letters, digits and . _ : @ -'],
    [{ locale: 'english' }, "locale must look like 'en' or 'en-GB'"],
  ])('rejects a malformed request (%j) with a 400 naming the field', async (patch, message) => {
    const res = await api.notify({ recipientId: 'r', channel: 'email', template: 't', ...patch });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(message);
  });

  it('requires an Idempotency-Key header', async () => {
    const res = await api.post('/notifications', { recipientId: 'r', channel: 'email', template: 't' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('the Idempotency-Key header is required');
  });

  it('picks the recipient locale, and falls back to the default locale when it has no template', async () => {
    const { recipientId, template } = await seed(api, { locale: 'de' });
    await expectOk(api.put(`/templates/${template}/sms/de`, { body: 'Willkommen {{name}}' }));
    const german = await api.notify({ recipientId, channel: 'sms', template, variables: { name: 'Ada' } });
    expect(german.body.locale).toBe('de');
    const english = await api.notify({ recipientId, channel: 'email', template, variables: { name: 'Ada' } });
    expect(english.body.locale).toBe('en');
  });

  it('records an opted-out channel as suppressed and writes nothing to the outbox', async () => {
    const { recipientId, template } = await seed(api, { optedOut: ['sms'] });
    const res = await api.notify({ recipientId, channel: 'sms', template, variables: { name: 'Ada' } });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'suppressed', messageId: null });
    expect(await countRows('outbox', recipientId)).toBe(0);
  });

  it('writes the notification and its outbox message in one transaction: neither exists when one fails', async () => {
    const { recipientId, template } = await seed(api);
    // A trigger makes the outbox insert fail for this one recipient, after the notification row was written.
    await service.db.query(`CREATE FUNCTION refuse_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.recipient_id = '${recipientId}' THEN RAISE EXCEPTION 'outbox unavailable'; END IF; RETURN NEW; END $$`);
    await service.db.query('CREATE TRIGGER refuse_outbox BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION refuse_outbox()');
    try {
      const res = await api.notify({ recipientId, channel: 'email', template, variables: { name: 'Ada' } });
      expect(res.status).toBe(500);
      expect(await countRows('notifications', recipientId)).toBe(0);
    } finally {
      await service.db.query('DROP TRIGGER refuse_outbox ON outbox');
      await service.db.query('DROP FUNCTION refuse_outbox()');
    }
  });
});

describe('idempotency', () => {
  it('replays the first answer for a repeated key and queues the message once', async () => {
    const { recipientId, template } = await seed(api);
    const body = { recipientId, channel: 'email', template, variables: { name: 'Ada' } };
    const first = await api.notify(body, `key-${recipientId}`);
    const second = await api.notify(body, `key-${recipientId}`);
    expect(second.status).toBe(202);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(await countRows('outbox', recipientId)).toBe(1);
  });

  it('refuses a key reused with a different request with a 409', async () => {
    const { recipientId, template } = await seed(api);
    await api.notify({ recipientId, channel: 'email', template, variables: { name: 'Ada' } }, `reuse-${recipientId}`);
    const res = await api.notify({ recipientId, channel: 'email', template, variables: { name: 'Bob' } }, `reuse-${recipientId}`);
    expect(res.status).toBe(409);
    expect(res.body.error).toEqual({ code: 'idempotency_key_reused', message: `Idempotency-Key 'reuse-${recipientId}' was already used with a different request` });
  });

  it('creates one notification when ten requests with one key arrive at once', async () => {
    const { recipientId, template } = await seed(api);
    const body = { recipientId, channel: 'sms', template, variables: { name: 'Ada' } };
    const responses = await Promise.all(Array.from({ length: 10 }, () => api.notify(body, `burst-${recipientId}`)));
    expect(responses.map(r => r.status)).toEqual(Array(10).fill(202));
    expect(new Set(responses.map(r => r.body.notificationId)).size).toBe(1);
    expect(await countRows('notifications', recipientId)).toBe(1);
    expect(await countRows('outbox', recipientId)).toBe(1);
  });
});

describe('GET /notifications/{id}', () => {
  it('returns the notification, and 404 for an unknown id', async () => {
    const { recipientId, template } = await seed(api);
    const created = await api.notify({ recipientId, channel: 'in_app', template, variables: { name: 'Ada' } });
    const read = await api.get(`/notifications/${created.body.notificationId}`);
    expect(read.body).toEqual(created.body);
    const missing = await api.get('/notifications/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    const malformed = await api.get('/notifications/not-a-uuid');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toBe('notificationId must be a UUID');
  });
});

describe('GET /metrics', () => {
  it('counts accepted notifications by channel, priority and initial status, replays aside', async () => {
    const { recipientId, template } = await seed(api, { optedOut: ['sms'] });
    const count = async (labels: string) => {
      const text = await (await fetch(`${service.baseUrl}/metrics`)).text();
      const line = text.split('\n').find(l => l.startsWith(`notifications_accepted_total{${labels}}`));
      return line ? Number(line.split(' ').at(-1)) : 0;
    };
    const queued = 'channel="email",priority="normal",status="queued"';
    const suppressed = 'channel="sms",priority="high",status="suppressed"';
    const [queuedBefore, suppressedBefore] = [await count(queued), await count(suppressed)];
    await expectOk(api.notify({ recipientId, channel: 'email', template, variables: { name: 'Ada' } }, `metrics-${recipientId}`));
    await expectOk(api.notify({ recipientId, channel: 'email', template, variables: { name: 'Ada' } }, `metrics-${recipientId}`));
    await expectOk(api.notify({ recipientId, channel: 'sms', template, priority: 'high', variables: { name: 'Ada' } }));
    expect(await count(queued)).toBe(queuedBefore + 1);
    expect(await count(suppressed)).toBe(suppressedBefore + 1);
  });
});

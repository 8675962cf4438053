import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpEmailAdapter, type SmtpServerSettings } from '../src/domain/adapters/email-smtp.js';
import type { OutboundMessage } from '../src/domain/channels.js';
import { startWorker } from '../src/worker-app.js';
import { startTestService, type TestService } from './support/harness.js';
import { startSmtpDouble, type SmtpDouble } from './doubles/smtp-server.js';
import { apiClient, eventually, expectOk, outboxRow, providerDispatcher, seed, TEST_ENV, workerEnv, type Api } from './fixtures.js';

const FROM = 'Acme Notifications <notify@example.com>';

let service: TestService;
let api: Api;
let smtp: SmtpDouble;

beforeAll(async () => {
  [service, smtp] = await Promise.all([startTestService({ env: TEST_ENV }), startSmtpDouble()]);
  api = apiClient(service);
});
afterAll(async () => {
  await service?.stop();
  await smtp?.close();
});

/** Queues one e-mail for a fresh recipient through the API. */
async function queueEmail() {
  const { recipientId, template } = await seed(api);
  const created = await expectOk(api.notify({ recipientId, channel: 'email', template, variables: { name: 'Ada' } }));
  return { ...created, address: `${recipientId}@example.com` };
}

/** The adapter against the test's server, TLS not required (the server speaks plain SMTP). */
const smtpAdapter = (patch: Partial<SmtpServerSettings> = {}) => new SmtpEmailAdapter({ url: smtp.url, from: FROM, requireTls: false, ...patch });

const message = (patch: Partial<OutboundMessage> = {}): OutboundMessage => ({
  messageId: '6f1c1f64-95a4-4a57-9f0f-5c1d1b3a0002', channel: 'email', recipientId: 'ada',
  address: 'ada@example.com', subject: 'Hello', body: 'Welcome, Ada!', ...patch,
});

describe('e-mail over SMTP (EMAIL_PROVIDER=smtp)', () => {
  it('is marked sent only after the SMTP server accepted it, through the API and the worker', async () => {
    const held = smtp.holdNextMessage();
    const worker = await startWorker(workerEnv(service, { EMAIL_PROVIDER: 'smtp', SMTP_URL: smtp.url, SMTP_FROM: FROM }), { idleMs: 20 });
    try {
      const queued = await queueEmail();
      const received = await held.arrived;
      expect(received.user).toBe('mailer');
      expect(received.envelope).toEqual({ from: 'notify@example.com', to: [queued.address] });
      expect(received.mail.to).toMatchObject({ text: queued.address });
      expect(received.mail.from).toMatchObject({ value: [{ name: 'Acme Notifications', address: 'notify@example.com' }] });
      expect(received.mail.subject).toBe('Hi Ada');
      expect(received.mail.text?.trim()).toBe('Welcome, Ada!');
      expect(received.mail.messageId).toBe(`<${queued.messageId}@example.com>`);

      // The server has the whole message but has not answered yet, so nothing is sent.
      expect(await outboxRow(service.db, queued.messageId)).toMatchObject({ status: 'pending', attempts: 1 });
      expect((await expectOk(api.get(`/notifications/${queued.notificationId}`))).status).toBe('queued');

      held.release();
      const sent = await eventually(async () => {
        const row = await outboxRow(service.db, queued.messageId);
        return row.status === 'sent' ? row : undefined;
      }, 'the e-mail being marked sent');
      expect(sent).toMatchObject({ attempts: 1, last_error: null });
      const [{ provider_message_id }] = await service.db.query<{ provider_message_id: string }>(
        'SELECT provider_message_id FROM outbox WHERE message_id = $1', [queued.messageId]);
      expect(provider_message_id).toBe(`smtp:<${queued.messageId}@example.com>`);
    } finally {
      held.release();
      await worker.stop();
    }
  });

  it.each(['rcpt', 'data'] as const)('keeps retrying while the server answers 451 at %s, then dead-letters after the last attempt', async stage => {
    const queued = await queueEmail();
    const { dispatcher, clock } = providerDispatcher(service, smtpAdapter());
    smtp.refuse({ stage, code: 451, message: '4.3.0 Mailbox temporarily unavailable' });
    try {
      expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
      expect(await outboxRow(service.db, queued.messageId)).toMatchObject({
        status: 'pending', attempts: 1, last_error: expect.stringMatching(/^SMTP 451: .*4\.3\.0 Mailbox temporarily unavailable/),
      });
      clock.advance(1_000);
      expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
      expect(await outboxRow(service.db, queued.messageId)).toMatchObject({ status: 'pending', attempts: 2 });
      clock.advance(2_000);
      expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, deadLettered: 1 });
      expect(await outboxRow(service.db, queued.messageId)).toMatchObject({
        status: 'dead', attempts: 3, last_error: expect.stringMatching(/^gave up after 3 attempts: SMTP 451/),
      });
    } finally {
      smtp.refuse(null);
    }
    expect(smtp.recipientsOffered.filter(address => address === queued.address)).toHaveLength(3);
    expect(smtp.received.some(mail => mail.envelope.to.includes(queued.address))).toBe(false);
  });

  it('dead-letters at once when the server answers 550', async () => {
    const queued = await queueEmail();
    const { dispatcher } = providerDispatcher(service, smtpAdapter());
    smtp.refuse({ stage: 'rcpt', code: 550, message: '5.1.1 No such user' });
    try {
      expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, deadLettered: 1 });
    } finally {
      smtp.refuse(null);
    }
    expect(await outboxRow(service.db, queued.messageId)).toMatchObject({
      status: 'dead', attempts: 1, last_error: expect.stringMatching(/^permanent failure: SMTP 550: .*5\.1\.1 No such user/),
    });
    const dead = await expectOk(api.get('/dead-letters'));
    expect(dead.messages.map((m: { messageId: string }) => m.messageId)).toContain(queued.messageId);
  });

  it('retries when no SMTP server answers, or when it refuses the login', async () => {
    const gone = await startSmtpDouble();
    await gone.close();
    expect(await smtpAdapter({ url: gone.url }).send(message())).toMatchObject({ ok: false, retryable: true, reason: expect.stringContaining('ECONNREFUSED') });

    const wrongPassword = smtp.url.replace(/:[^:@/]+@/, ':wrong@');
    expect(await smtpAdapter({ url: wrongPassword }).send(message())).toMatchObject({
      ok: false, retryable: true, reason: expect.stringContaining('SMTP authentication failed (check the user and password in SMTP_URL)'),
    });
  });

  it('with TLS required (production), sends nothing, not even the login, over a connection that cannot upgrade', async () => {
    const [before, loginsBefore] = [smtp.received.length, smtp.loginsAttempted.length];
    expect(await smtpAdapter({ requireTls: true }).send(message())).toMatchObject({
      ok: false, retryable: true, reason: expect.stringMatching(/^SMTP connection could not be secured with STARTTLS, so nothing was sent/),
    });
    expect(smtp.received).toHaveLength(before);
    expect(smtp.loginsAttempted).toHaveLength(loginsBefore);
  });

  it('keeps line breaks in a subject from adding headers or recipients', async () => {
    const before = smtp.received.length;
    const result = await smtpAdapter().send(message({ subject: 'Hi\r\nBcc: everyone@example.com' }));
    expect(result).toMatchObject({ ok: true });
    const [received] = smtp.received.slice(before);
    expect(received.envelope.to).toEqual(['ada@example.com']);
    expect(received.mail.bcc).toBeUndefined();
    expect(received.mail.subject).not.toMatch(/[\r\n]/);
  });

  it('fails permanently without an address, without calling the server', async () => {
    const offered = smtp.recipientsOffered.length;
    expect(await smtpAdapter().send(message({ address: null }))).toEqual({ ok: false, retryable: false, reason: 'no e-mail address' });
    expect(smtp.recipientsOffered).toHaveLength(offered);
  });
});

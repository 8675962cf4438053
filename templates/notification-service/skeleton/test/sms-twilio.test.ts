import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TwilioSmsAdapter } from '../src/domain/adapters/sms-twilio.js';
import type { OutboundMessage } from '../src/domain/channels.js';
import { startWorker } from '../src/worker-app.js';
import { startTestService, type TestService } from './support/harness.js';
import { startTwilioDouble, TOO_MANY_REQUESTS, type TwilioDouble } from './doubles/twilio.js';
import { apiClient, eventually, expectOk, outboxRow, providerDispatcher, seed, TEST_ENV, workerEnv, type Api } from './fixtures.js';

const SENDER = '+14155550199';

let service: TestService;
let api: Api;
let twilio: TwilioDouble;

beforeAll(async () => {
  [service, twilio] = await Promise.all([startTestService({ env: TEST_ENV }), startTwilioDouble()]);
  api = apiClient(service);
});
afterAll(async () => {
  await service?.stop();
  await twilio?.close();
});

const account = (patch: Partial<{ authToken: string; apiUrl: string }> = {}) => ({
  apiUrl: twilio.url, accountSid: twilio.accountSid, authToken: twilio.authToken, from: SENDER, ...patch,
});

/** Queues one SMS ("Welcome Ada" to +14155550100) for a fresh recipient through the API. */
async function queueSms() {
  const { recipientId, template } = await seed(api);
  return expectOk(api.notify({ recipientId, channel: 'sms', template, variables: { name: 'Ada' } }));
}

const sms = (patch: Partial<OutboundMessage> = {}): OutboundMessage => ({
  messageId: '6f1c1f64-95a4-4a57-9f0f-5c1d1b3a0003', channel: 'sms', recipientId: 'ada',
  address: '+14155550100', subject: null, body: 'Welcome Ada', ...patch,
});

describe('SMS through Twilio (SMS_PROVIDER=twilio)', () => {
  it('marks the message sent with the sid Twilio returned, after one call with the form and basic auth', async () => {
    const queued = await queueSms();
    const { dispatcher } = providerDispatcher(service, new TwilioSmsAdapter(account()));
    const callsBefore = twilio.calls.length;
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, sent: 1 });

    const calls = twilio.calls.slice(callsBefore);
    expect(calls).toEqual([{
      accountSid: twilio.accountSid,
      authorization: `Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64')}`,
      contentType: 'application/x-www-form-urlencoded',
      // The delivery span's context (test/tracing.test.ts checks whose trace it continues).
      traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/),
      form: { To: '+14155550100', From: SENDER, Body: 'Welcome Ada' },
    }]);
    const [row] = await service.db.query<{ status: string; provider_message_id: string }>(
      'SELECT status, provider_message_id FROM outbox WHERE message_id = $1', [queued.messageId]);
    expect(row.status).toBe('sent');
    expect(row.provider_message_id).toMatch(/^SM[0-9a-f]{32}$/);
  });

  it('retries after a 429, and sends on the next attempt', async () => {
    const queued = await queueSms();
    const { dispatcher, clock } = providerDispatcher(service, new TwilioSmsAdapter(account()));
    const callsBefore = twilio.calls.length;
    twilio.failNext(1, TOO_MANY_REQUESTS);
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
    expect(await outboxRow(service.db, queued.messageId)).toMatchObject({
      status: 'pending', attempts: 1, last_error: 'Twilio 429 error 20429: Too Many Requests',
    });
    clock.advance(1_000);
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    expect(await outboxRow(service.db, queued.messageId)).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
    expect(twilio.calls.length - callsBefore).toBe(2);
  });

  it("dead-letters a 400 at once, recording Twilio's error code and message", async () => {
    const queued = await queueSms();
    const { dispatcher } = providerDispatcher(service, new TwilioSmsAdapter(account()));
    twilio.failNext(1, { status: 400, code: 21211, message: "Invalid 'To' Phone Number: +14155550100" });
    expect(await dispatcher.runOnce()).toMatchObject({ claimed: 1, deadLettered: 1 });
    expect(await outboxRow(service.db, queued.messageId)).toMatchObject({
      status: 'dead', attempts: 1, last_error: "permanent failure: Twilio 400 error 21211: Invalid 'To' Phone Number: +14155550100",
    });
  });

  it('treats a 5xx, a refused login and an unreachable API as worth another try', async () => {
    twilio.failNext(1, { status: 503, code: 20503, message: 'Service Unavailable' });
    expect(await new TwilioSmsAdapter(account()).send(sms())).toEqual({ ok: false, retryable: true, reason: 'Twilio 503 error 20503: Service Unavailable' });
    expect(await new TwilioSmsAdapter(account({ authToken: 'wrong' })).send(sms())).toEqual({
      ok: false, retryable: true, reason: 'Twilio 401 error 20003: Authenticate (check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN)',
    });
    const gone = await startTwilioDouble();
    await gone.close();
    expect(await new TwilioSmsAdapter(account({ apiUrl: gone.url })).send(sms())).toMatchObject({
      ok: false, retryable: true, reason: expect.stringMatching(/^Twilio request failed: /),
    });
  });

  it('refuses an invalid number or an over-long body without calling Twilio', async () => {
    const callsBefore = twilio.calls.length;
    const adapter = new TwilioSmsAdapter(account());
    expect(await adapter.send(sms({ address: '0800 123' }))).toEqual({ ok: false, retryable: false, reason: "invalid phone number '0800 123'" });
    expect(await adapter.send(sms({ body: 'x'.repeat(961) }))).toEqual({ ok: false, retryable: false, reason: 'body longer than 960 characters' });
    expect(twilio.calls.length).toBe(callsBefore);
  });

  it('is what the worker sends through when the environment names Twilio', async () => {
    const worker = await startWorker(workerEnv(service, {
      SMS_PROVIDER: 'twilio', SMS_API_URL: twilio.url, TWILIO_ACCOUNT_SID: twilio.accountSid, TWILIO_AUTH_TOKEN: twilio.authToken, SMS_FROM: SENDER,
    }), { idleMs: 20 });
    try {
      const queued = await queueSms();
      await eventually(async () => ((await outboxRow(service.db, queued.messageId)).status === 'sent' ? true : undefined), 'the SMS being marked sent');
      expect(twilio.calls.at(-1)?.form).toEqual({ To: '+14155550100', From: SENDER, Body: 'Welcome Ada' });
    } finally {
      await worker.stop();
    }
  });
});

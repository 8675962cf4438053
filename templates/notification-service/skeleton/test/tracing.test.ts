import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../src/worker-app.js';
import { startTestService, type TestService } from './support/harness.js';
import { startTwilioDouble, type TwilioDouble } from './doubles/twilio.js';
import { apiClient, eventually, expectOk, outboxRow, seed, TEST_ENV, testDispatcher, workerEnv, type Api } from './fixtures.js';

// Spans the API's requests end (the service's processor) and the worker's deliveries (the worker's own).
const apiSpans = new InMemorySpanExporter();
const workerSpans = new InMemorySpanExporter();

let service: TestService;
let api: Api;
let twilio: TwilioDouble;

beforeAll(async () => {
  [service, twilio] = await Promise.all([
    startTestService({ env: TEST_ENV, spanProcessors: [new SimpleSpanProcessor({ exporter: apiSpans })] }),
    startTwilioDouble(),
  ]);
  api = apiClient(service);
});
afterAll(async () => {
  await service?.stop();
  await twilio?.close();
});

const deliverySpan = (spans: ReadableSpan[], messageId: string) =>
  spans.find(s => s.name === 'notification.deliver' && s.attributes['notification.message_id'] === messageId);
/** The span of the latest POST /notifications the API finished. */
const lastSend = () => apiSpans.getFinishedSpans().filter(s => s.name === 'POST /notifications').at(-1)!;

describe('traces across the outbox', () => {
  it('a delivery by the worker continues the trace of the request that enqueued it, out to Twilio', async () => {
    const { recipientId, template } = await seed(api);
    const queued = await expectOk(api.notify({ recipientId, channel: 'sms', template, variables: { name: 'Ada' } }));
    const request = lastSend();
    const [stored] = await service.db.query<{ traceparent: string | null }>('SELECT traceparent FROM outbox WHERE message_id = $1', [queued.messageId]);
    expect(stored.traceparent).toBe(`00-${request.spanContext().traceId}-${request.spanContext().spanId}-01`);

    const worker = await startWorker(workerEnv(service, {
      SMS_PROVIDER: 'twilio', SMS_API_URL: twilio.url, TWILIO_ACCOUNT_SID: twilio.accountSid, TWILIO_AUTH_TOKEN: twilio.authToken, SMS_FROM: '+14155550199',
    }), { idleMs: 20, spanProcessors: [new SimpleSpanProcessor({ exporter: workerSpans })] });
    try {
      await eventually(async () => ((await outboxRow(service.db, queued.messageId)).status === 'sent' ? true : undefined), 'the SMS being marked sent');
    } finally {
      await worker.stop();
    }
    const delivery = deliverySpan(workerSpans.getFinishedSpans(), queued.messageId)!;
    expect(delivery).toBeDefined();
    expect(delivery.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(delivery.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(delivery.attributes).toMatchObject({ 'notification.channel': 'sms', 'notification.attempt': '1' });
    expect(twilio.calls.at(-1)?.traceparent).toBe(`00-${delivery.spanContext().traceId}-${delivery.spanContext().spanId}-01`);
  });

  it('a digest, enqueued by the dispatcher rather than a request, is delivered in a trace of its own', async () => {
    const { recipientId, template } = await seed(api);
    const batched = await expectOk(api.notify({ recipientId, channel: 'in_app', template, priority: 'low', variables: { name: 'Ada' } }));
    const request = lastSend();
    const { dispatcher, clock } = testDispatcher(service);
    clock.advance(Number(TEST_ENV.NOTIFY_DIGEST_PERIOD_MS));
    await dispatcher.runOnce();
    const { messageId } = await expectOk(api.get(`/notifications/${batched.notificationId}`));
    const [stored] = await service.db.query<{ traceparent: string | null }>('SELECT traceparent FROM outbox WHERE message_id = $1', [messageId]);
    expect(stored.traceparent).toBeNull();
    const delivery = deliverySpan(apiSpans.getFinishedSpans(), messageId)!;
    expect(delivery.parentSpanContext).toBeUndefined();
    expect(delivery.spanContext().traceId).not.toBe(request.spanContext().traceId);
  });
});

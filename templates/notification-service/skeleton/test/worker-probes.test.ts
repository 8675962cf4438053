import { startTestWorker, type TestWorker } from '@paver/service-runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorker } from '../src/worker-app.js';
import { startTestService, type TestService } from './support/harness.js';
import { apiClient, eventually, expectOk, seed, TEST_ENV, type Api } from './fixtures.js';

// `node dist/worker.js` serves the runtime's probes on PORT, as the Deployment probes and scrapes
// them (deploy/kubernetes/worker-deployment.yaml): here a worker on the API test service's schema.
let service: TestService;
let worker: TestWorker;
let api: Api;

beforeAll(async () => {
  service = await startTestService({ env: TEST_ENV });
  api = apiClient(service);
  worker = await startTestWorker(createWorker({ idleMs: 20 }), { env: { ...TEST_ENV, DATABASE_SCHEMA: service.config.databaseSchema } });
});
afterAll(async () => {
  await worker?.stop();
  await service?.stop();
});

const metric = (text: string, line: string) => {
  const found = text.split('\n').find(l => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.split(' ').at(-1));
};

describe("the worker's HTTP endpoints", () => {
  it('answers /healthz while the dispatch loop lives, and /readyz while the database answers', async () => {
    const health = await fetch(`${worker.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${worker.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('serves the process metrics and counts its deliveries on /metrics', async () => {
    const scrape = async () => (await fetch(`${worker.baseUrl}/metrics`)).text();
    const before = await scrape();
    expect(before).toMatch(/^process_cpu_user_seconds_total /m);
    const sentBefore = metric(before, 'notification_deliveries_total{outcome="sent"}');
    expect(sentBefore).toBeDefined();
    const { recipientId, template } = await seed(api);
    const queued = await expectOk(api.notify({ recipientId, channel: 'in_app', template, variables: { name: 'Ada' } }));
    await eventually(async () => ((await expectOk(api.get(`/notifications/${queued.notificationId}`))).status === 'sent' ? true : undefined), 'the worker delivering');
    // The round counts once it finished, a moment after the row reads sent.
    await eventually(async () => (metric(await scrape(), 'notification_deliveries_total{outcome="sent"}')! > sentBefore! ? true : undefined), 'the delivery being counted');
  });
});

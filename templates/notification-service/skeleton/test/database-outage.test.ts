import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './support/harness.js';
import { apiClient, seed, TEST_ENV, type Api } from './fixtures.js';

let service: TestService;
let api: Api;

beforeAll(async () => {
  service = await startTestService({ env: TEST_ENV, interruptibleDatabase: true });
  api = apiClient(service);
});
afterAll(() => service?.stop());

describe('when PostgreSQL goes away', () => {
  it('answers 503 to a send, and a retry of that send after the outage starts clean', async () => {
    const { recipientId, template } = await seed(api);
    const request = { recipientId, channel: 'sms', template, variables: { name: 'Bob' } };
    await service.database!.cut();
    try {
      const refused = await api.notify(request, `outage-${recipientId}`);
      expect(refused.status).toBe(503);
      expect(refused.body.error.code).toBe('database_unavailable');
    } finally {
      await service.database!.restore();
    }
    const retried = await api.notify(request, `outage-${recipientId}`);
    expect(retried.status).toBe(202);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
  });
});

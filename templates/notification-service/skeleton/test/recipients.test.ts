import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './support/harness.js';
import { apiClient, expectOk, TEST_ENV, type Api } from './fixtures.js';

let service: TestService;
let api: Api;

beforeAll(async () => {
  service = await startTestService({ env: TEST_ENV });
  api = apiClient(service);
});
afterAll(() => service?.stop());

describe('recipients and their preferences', () => {
  it('stores addresses, locale and per-channel opt-outs, and replaces them on PUT', async () => {
    await expectOk(api.put('/recipients/ada', { email: 'ada@example.com', phone: '+447700900123', locale: 'en-GB', optedOut: ['sms'] }));
    expect(await expectOk(api.get('/recipients/ada'))).toEqual({
      recipientId: 'ada', email: 'ada@example.com', phone: '+447700900123', locale: 'en-GB', optedOut: ['sms'],
    });
    await expectOk(api.put('/recipients/ada', { email: 'ada@example.com', optedOut: [] }));
    expect(await expectOk(api.get('/recipients/ada'))).toMatchObject({ phone: null, optedOut: [] });
  });

  it('answers 404 for an unknown recipient', async () => {
    const res = await api.get('/recipients/nobody');
    expect(res.status).toBe(404);
  });

  it.each([
    [{ email: 'not-an-address' }, 'email must be an e-mail address'],
    [{ phone: '07700 900123' }, 'phone must be an E.164 number like +14155550100'],
    [{ optedOut: ['email', 'carrier-pigeon'] }, 'optedOut must be a list of channels (email, sms, in_app)'],
    [{ optedOut: 'email' }, 'optedOut must be a list of channels (email, sms, in_app)'],
  ])('rejects %j with a 400 naming the field', async (body, message) => {
    const res = await api.put('/recipients/bad', body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(message);
  });
});

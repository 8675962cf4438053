import { createHash } from 'node:crypto';
import { startTestService, type TestService } from './support/harness.js';
import {
  BILLING_ENV,
  billingClient,
  type BillingClient,
} from './support/billing-client.js';

describe('Idempotency-Key on POST', () => {
  let service: TestService;
  let api: BillingClient;
  beforeAll(async () => {
    service = await startTestService({ env: BILLING_ENV });
    api = billingClient(service);
  });
  afterAll(() => service?.stop());

  const customers = async (email: string) =>
    (
      await service.db.query('SELECT id FROM customers WHERE email = $1', [
        email,
      ])
    ).length;

  it('replays the stored response for the same key and body, without doing the work again', async () => {
    const body = { email: 'replay@example.com', name: 'Replay' };
    const first = await api.post('/customers', body, 'key-replay');
    const second = await api.post('/customers', body, 'key-replay');
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(await customers('replay@example.com')).toBe(1);
  });

  it('treats a body with the same fields in another order as the same request', async () => {
    const first = await api.post(
      '/customers',
      { email: 'order@example.com', name: 'Order' },
      'key-order',
    );
    const second = await api.post(
      '/customers',
      { name: 'Order', email: 'order@example.com' },
      'key-order',
    );
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
  });

  it('answers 409 when a key is reused with a different body, and does nothing', async () => {
    await api.post(
      '/customers',
      { email: 'first@example.com', name: 'First' },
      'key-conflict',
    );
    const res = await api.post(
      '/customers',
      { email: 'second@example.com', name: 'Second' },
      'key-conflict',
    );
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('idempotency_key_reused');
    expect(await customers('second@example.com')).toBe(0);
  });

  it('answers 409 when a key is reused on another endpoint', async () => {
    await api.post(
      '/customers',
      { email: 'path@example.com', name: 'Path' },
      'key-path',
    );
    // An operation without a request body schema, so the same body reaches the key check.
    const res = await api.post(
      '/invoices/00000000-0000-4000-8000-000000000000/finalize',
      { email: 'path@example.com', name: 'Path' },
      'key-path',
    );
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('idempotency_key_reused');
  });

  it('requires the header on every client POST', async () => {
    const res = await api.post(
      '/customers',
      { email: 'nokey@example.com', name: 'No Key' },
      null,
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('idempotency_key_required');
    expect(await customers('nokey@example.com')).toBe(0);
  });

  it('refuses a key that is too long or not printable ASCII', async () => {
    const long = await api.post(
      '/customers',
      { email: 'long@example.com', name: 'L' },
      'k'.repeat(256),
    );
    expect(long.status).toBe(400);
    expect(long.body.error.code).toBe('invalid_idempotency_key');
    const spaced = await api.post(
      '/customers',
      { email: 'long@example.com', name: 'L' },
      'has space',
    );
    expect(spaced.status).toBe(400);
  });

  it('does not keep the key of a request that failed, so a corrected retry can use it', async () => {
    const bad = await api.post(
      '/customers',
      { email: 'nope', name: 'Fixed' },
      'key-retry',
    );
    expect(bad.status).toBe(400);
    const fixed = await api.post(
      '/customers',
      { email: 'fixed@example.com', name: 'Fixed' },
      'key-retry',
    );
    expect(fixed.status).toBe(201);
  });

  it('runs concurrent requests with one key once, and gives all of them the same answer', async () => {
    const body = { email: 'race@example.com', name: 'Race' };
    const results = await Promise.all(
      Array.from({ length: 6 }, () => api.post('/customers', body, 'key-race')),
    );
    expect(new Set(results.map(r => r.status))).toEqual(new Set([201]));
    expect(new Set(results.map(r => r.body.id)).size).toBe(1);
    expect(await customers('race@example.com')).toBe(1);
  });

  it('stores the SHA-256 of method, path and canonical body with the key, not the body itself', async () => {
    const body = { name: 'Hash', email: 'hash@example.com' };
    await api.post('/customers', body, 'key-hash');
    const [row] = await service.db.query<{
      request_hash: string;
      method: string;
      path: string;
    }>(
      'SELECT request_hash, method, path FROM idempotency_keys WHERE key = $1',
      ['key-hash'],
    );
    const expected = createHash('sha256')
      .update('POST /customers\n{"email":"hash@example.com","name":"Hash"}')
      .digest('hex');
    expect(row).toEqual({
      request_hash: expected,
      method: 'POST',
      path: '/customers',
    });
  });

  it('replays action POSTs too: a repeated finalize returns the first result instead of a 409', async () => {
    const { subscription } = await api.subscription('2024-01-01T00:00:00Z');
    const draft = (
      await api.post('/invoices', { subscriptionId: subscription.id })
    ).body;
    const first = await api.post(
      `/invoices/${draft.id}/finalize`,
      undefined,
      'key-finalize',
    );
    const retry = await api.post(
      `/invoices/${draft.id}/finalize`,
      undefined,
      'key-finalize',
    );
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.body.number).toBe(first.body.number);
  });
});

import { guardedOperations, openApiFile, readOpenApi } from '@paver/service-runtime';
import { checkGuardedOperations } from '@paver/service-runtime/testing';
import { app } from '../src/app.js';
import { BILLING_ENV, billingClient } from './support/billing-client.js';
import { startTestService, type TestService } from './support/harness.js';

describe('authentication: a bearer token from the auth service, with a scope per operation', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ env: BILLING_ENV });
  });
  afterAll(() => service?.stop());

  const as = async (...scopes: string[]) =>
    billingClient({
      baseUrl: service.baseUrl,
      authorization: `Bearer ${await service.issuer!.token({ scopes })}`,
    });

  it('guards every operation but health, metrics and the PSP webhook (signed instead)', () => {
    const operations = guardedOperations(readOpenApi(openApiFile(app)));
    expect(operations.filter(o => !o.scopes).map(o => o.operationId).sort()).toEqual([
      'healthz',
      'metrics',
      'readyz',
      'receivePspWebhook',
    ]);
    for (const { operationId, scopes } of operations.filter(o => o.scopes)) {
      expect([operationId, scopes]).toEqual([operationId, [expect.stringMatching(/^billing:(read|write|admin)$/)]]);
    }
  });

  it('answers 401 without a token and 403 without the scope, on every guarded operation', async () => {
    expect(await checkGuardedOperations(service, app)).toEqual([]);
  });

  it('lets billing:write create customers but not mark an invoice paid: that takes billing:admin', async () => {
    const writer = await as('billing:write');
    expect((await writer.post('/customers', { email: 'ada@example.com', name: 'Ada' })).status).toBe(201);
    const payment = { amountMinor: 4900, currency: 'EUR' };
    const unknownInvoice = '/invoices/00000000-0000-4000-8000-000000000000/mark-paid';
    const paid = await writer.post(unknownInvoice, payment);
    expect(paid.status).toBe(403);
    expect(paid.body.error.code).toBe('insufficient_scope');
    const admin = await as('billing:admin');
    // Past the guard, billing itself answers: there is no such invoice.
    expect((await admin.post(unknownInvoice, payment)).status).toBe(404);
  });

  it('lets billing:read read plans but not create one', async () => {
    const reader = await as('billing:read');
    expect((await reader.get('/plans')).status).toBe(200);
    expect((await reader.post('/plans', { code: 'x', name: 'X', currency: 'EUR', amountMinor: 1, interval: 'month' })).status).toBe(403);
  });
});

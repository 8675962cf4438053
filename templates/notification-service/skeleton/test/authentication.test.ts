import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedOperations, openApiFile, readOpenApi } from '@paver/service-runtime';
import { checkGuardedOperations } from '@paver/service-runtime/testing';
import { app } from '../src/app.js';
import { apiClient, TEST_ENV } from './fixtures.js';
import { startTestService, type TestService } from './support/harness.js';

let service: TestService;
beforeAll(async () => {
  service = await startTestService({ env: TEST_ENV });
});
afterAll(() => service?.stop());

const as = async (...scopes: string[]) =>
  apiClient({ baseUrl: service.baseUrl, authorization: `Bearer ${await service.issuer!.token({ scopes })}` });

describe('authentication: a bearer token from the auth service, with a scope per operation', () => {
  it('guards every operation but health and metrics, each with one notifications scope', () => {
    const operations = guardedOperations(readOpenApi(openApiFile(app)));
    expect(operations.filter(o => !o.scopes).map(o => o.operationId).sort()).toEqual(['healthz', 'metrics', 'readyz']);
    for (const { operationId, scopes } of operations.filter(o => o.scopes)) {
      expect([operationId, scopes]).toEqual([operationId, [expect.stringMatching(/^notifications:(read|write|admin)$/)]]);
    }
  });

  it('answers 401 without a token and 403 without the scope, on every guarded operation', async () => {
    expect(await checkGuardedOperations(service, app)).toEqual([]);
  });

  it('lets nobody read an inbox without a token, and notifications:read read one', async () => {
    const anonymous = apiClient({ baseUrl: service.baseUrl });
    expect((await anonymous.get('/recipients/ada/inbox')).status).toBe(401);
    expect((await (await as('notifications:read')).get('/recipients/ada/inbox')).status).toBe(200);
  });

  it('keeps templates and dead letters to notifications:admin', async () => {
    const writer = await as('notifications:write');
    expect((await writer.put('/templates/welcome/email/en', { subject: 'Hi', body: 'Welcome' })).status).toBe(403);
    expect((await writer.get('/dead-letters')).status).toBe(403);
    const admin = await as('notifications:admin');
    expect((await admin.put('/templates/welcome/email/en', { subject: 'Hi', body: 'Welcome' })).status).toBe(200);
  });
});

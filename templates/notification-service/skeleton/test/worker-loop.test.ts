import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdapters } from '../src/domain/adapters/index.js';
import { Dispatcher, type DispatchReport } from '../src/domain/dispatcher.js';
import { loadProviderSettings } from '../src/domain/provider-settings.js';
import type { Db } from '../src/platform/db.js';
import { HttpError } from '../src/platform/http.js';
import { loadNotificationSettings } from '../src/domain/settings.js';
import { startTestService, type TestService } from './support/harness.js';
import { apiClient, eventually, expectOk, seed, TEST_ENV, type Api } from './fixtures.js';

let service: TestService;
let api: Api;
let mailDir: string;

beforeAll(async () => {
  service = await startTestService({ env: TEST_ENV });
  api = apiClient(service.baseUrl);
  mailDir = await mkdtemp(join(tmpdir(), 'outbox-mail-'));
});
afterAll(async () => {
  await service?.stop();
  await rm(mailDir, { recursive: true, force: true });
});

describe('the worker loop (what `node dist/worker.js` runs)', () => {
  it('delivers through the development adapters (no provider set, not production) until stopped', async () => {
    const { recipientId, template } = await seed(api);
    const errors: unknown[] = [];
    const reports: DispatchReport[] = [];
    const dispatcher = new Dispatcher({
      db: service.db,
      adapters: createAdapters(service.db, loadProviderSettings({ EMAIL_OUTBOX_DIR: mailDir })),
      settings: loadNotificationSettings(service.config.env),
      onError: error => errors.push(error),
      onReport: report => reports.push(report),
    });
    dispatcher.start(20);
    try {
      const email = await expectOk(api.notify({ recipientId, channel: 'email', template, variables: { name: 'Ada' } }));
      await expectOk(api.notify({ recipientId, channel: 'in_app', template, variables: { name: 'Ada' } }));
      const file = await eventually(async () => (await readdir(mailDir)).find(f => f === `${email.messageId}.eml`));
      expect(await readFile(join(mailDir, file), 'utf8')).toContain('Subject: Hi Ada\r\n');
      const inbox = await eventually(async () => {
        const page = await expectOk(api.get(`/recipients/${recipientId}/inbox`));
        return page.messages.length > 0 ? page : undefined;
      });
      expect(inbox.messages[0].subject).toBe('Hello Ada');
    } finally {
      await dispatcher.stop();
    }
    expect(errors).toEqual([]);
    expect(reports.reduce((sum, r) => sum + r.sent, 0)).toBeGreaterThanOrEqual(2);
  });

  it('keeps looping when a round fails (database unavailable) and delivers once rounds succeed again', async () => {
    const { recipientId, template } = await seed(api);
    const queued = await expectOk(api.notify({ recipientId, channel: 'in_app', template, variables: { name: 'Ada' } }));
    // The first three database calls fail the way the platform reports an outage.
    let failuresLeft = 3;
    const unavailable = () => new HttpError(503, 'database_unavailable', 'the database is unavailable; retry later');
    const flaky: Db = {
      query: (sql, params) => (failuresLeft-- > 0 ? Promise.reject(unavailable()) : service.db.query(sql, params)),
      transaction: fn => (failuresLeft-- > 0 ? Promise.reject(unavailable()) : service.db.transaction(fn)),
    };
    const errors: unknown[] = [];
    const dispatcher = new Dispatcher({
      db: flaky,
      adapters: createAdapters(flaky, loadProviderSettings({ EMAIL_OUTBOX_DIR: mailDir })),
      settings: loadNotificationSettings(service.config.env),
      onError: error => errors.push(error),
    });
    dispatcher.start(10);
    try {
      await eventually(async () => {
        const page = await expectOk(api.get(`/recipients/${recipientId}/inbox`));
        return page.messages.find((m: { messageId: string }) => m.messageId === queued.messageId);
      });
    } finally {
      await dispatcher.stop();
    }
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors[0]).toMatchObject({ status: 503, code: 'database_unavailable' });
  });
});

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpError, type Db } from '@paver/service-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdapters } from '../src/domain/adapters/index.js';
import { Dispatcher, type DispatchReport } from '../src/domain/dispatcher.js';
import { loadProviderSettings } from '../src/domain/provider-settings.js';
import { loadNotificationSettings } from '../src/domain/settings.js';
import { startTestService, type TestService } from './support/harness.js';
import { apiClient, eventually, expectOk, seed, TEST_ENV, type Api } from './fixtures.js';

let service: TestService;
let api: Api;
let mailDir: string;

beforeAll(async () => {
  service = await startTestService({ env: TEST_ENV });
  api = apiClient(service);
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
    // The first three database calls fail the way the runtime reports an outage.
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

  it('reports alive() through failed rounds and after a stop, and false once its loop died', async () => {
    const down: Db = {
      query: () => Promise.reject(new HttpError(503, 'database_unavailable', 'the database is unavailable; retry later')),
      transaction: () => Promise.reject(new HttpError(503, 'database_unavailable', 'the database is unavailable; retry later')),
    };
    const options = { db: down, adapters: createAdapters(down, loadProviderSettings({ EMAIL_OUTBOX_DIR: mailDir })), settings: loadNotificationSettings(service.config.env) };
    let failedRounds = 0;
    const riding = new Dispatcher({ ...options, onError: () => failedRounds++ });
    riding.start(5);
    await eventually(async () => (failedRounds >= 3 ? true : undefined), 'three failed rounds');
    expect(riding.alive()).toBe(true);
    await riding.stop();
    expect(riding.alive()).toBe(true);
    // A callback that throws escapes the round's catch and ends the loop: nothing delivers now.
    const dying = new Dispatcher({ ...options, onError: () => { throw new Error('logger broke'); } });
    dying.start(5);
    await eventually(async () => (dying.alive() ? undefined : true), 'the loop dying');
    await dying.stop();
    expect(dying.alive()).toBe(false);
  });
});

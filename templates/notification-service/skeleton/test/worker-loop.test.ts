import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdapters } from '../src/domain/adapters/index.js';
import { Dispatcher, type DispatchReport } from '../src/domain/dispatcher.js';
import { loadNotificationSettings } from '../src/domain/settings.js';
import { startTestService, type TestService } from './support/harness.js';
import { apiClient, expectOk, seed, TEST_ENV, type Api } from './fixtures.js';

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

async function eventually<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 1_000; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  throw new Error('the background dispatcher did not deliver');
}

describe('the worker loop (what `node dist/worker.js` runs)', () => {
  it('delivers through the default offline adapters until stopped', async () => {
    const { recipientId, template } = await seed(api);
    const errors: unknown[] = [];
    const reports: DispatchReport[] = [];
    const dispatcher = new Dispatcher({
      db: service.db,
      adapters: createAdapters(service.db, { EMAIL_OUTBOX_DIR: mailDir }),
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
});

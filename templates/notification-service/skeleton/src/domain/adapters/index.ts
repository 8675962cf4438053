import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../platform/db.js';
import type { ChannelAdapters } from '../channels.js';
import { FileEmailAdapter } from './email-file.js';
import { InAppAdapter } from './in-app.js';
import { FakeSmsProvider } from './sms-fake.js';

/**
 * The one place channels meet providers. Offline defaults: e-mail to `.eml` files in
 * `emailOutboxDir(env)`, SMS to a fake provider, in-app to the inbox table.
 * Swap an entry here for a real provider adapter; the dispatcher does not change.
 */
export function createAdapters(db: Db, env: Readonly<Record<string, string | undefined>>): ChannelAdapters {
  return {
    email: new FileEmailAdapter(emailOutboxDir(env), env.EMAIL_FROM || undefined),
    sms: new FakeSmsProvider(),
    in_app: new InAppAdapter(db),
  };
}

/**
 * EMAIL_OUTBOX_DIR, else a folder under the OS temp dir: writable for the image's non-root user,
 * and never inside the repository.
 */
export function emailOutboxDir(env: Readonly<Record<string, string | undefined>>): string {
  return env.EMAIL_OUTBOX_DIR || join(tmpdir(), 'notification-outbox-mail');
}

import type { Db } from '../../platform/db.js';
import type { ChannelAdapters } from '../channels.js';
import { FileEmailAdapter } from './email-file.js';
import { InAppAdapter } from './in-app.js';
import { FakeSmsProvider } from './sms-fake.js';

/**
 * The one place channels meet providers. Offline defaults: e-mail to `.eml` files in
 * EMAIL_OUTBOX_DIR (default ./outbox-mail), SMS to a fake provider, in-app to the inbox table.
 * Swap an entry here for a real provider adapter; the dispatcher does not change.
 */
export function createAdapters(db: Db, env: Readonly<Record<string, string | undefined>>): ChannelAdapters {
  return {
    email: new FileEmailAdapter(env.EMAIL_OUTBOX_DIR || 'outbox-mail', env.EMAIL_FROM || undefined),
    sms: new FakeSmsProvider(),
    in_app: new InAppAdapter(db),
  };
}

import type { Db } from '@paver/service-runtime';
import type { ChannelAdapter, ChannelAdapters } from '../channels.js';
import type { EmailProvider, ProviderSettings, SmsProvider } from '../provider-settings.js';
import { FileEmailAdapter } from './email-file.js';
import { SmtpEmailAdapter } from './email-smtp.js';
import { InAppAdapter } from './in-app.js';
import { FakeSmsProvider } from './sms-fake.js';
import { TwilioSmsAdapter } from './sms-twilio.js';

/**
 * The one place channels meet providers, as `loadProviderSettings` chose them: e-mail over SMTP
 * (or `.eml` files, development only), SMS through Twilio (or a fake, development only), in-app
 * to the inbox table. Add a provider here; the dispatcher does not change.
 */
export function createAdapters(db: Db, providers: ProviderSettings): ChannelAdapters {
  return {
    email: emailAdapter(providers.email),
    sms: smsAdapter(providers.sms),
    in_app: new InAppAdapter(db),
  };
}

function emailAdapter(provider: EmailProvider): ChannelAdapter {
  return provider.kind === 'smtp' ? new SmtpEmailAdapter(provider) : new FileEmailAdapter(provider.directory, provider.from);
}

function smsAdapter(provider: SmsProvider): ChannelAdapter {
  return provider.kind === 'twilio' ? new TwilioSmsAdapter(provider) : new FakeSmsProvider();
}

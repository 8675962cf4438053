import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, oneOf, requiredSetting } from '@paver/service-runtime';

type Env = Readonly<Record<string, string | undefined>>;

/** E-mail leaves through an SMTP server; `file` (development only) writes `.eml` files instead. */
export type EmailProvider =
  | { readonly kind: 'smtp'; readonly url: string; readonly from: string; readonly requireTls: boolean }
  | { readonly kind: 'file'; readonly directory: string; readonly from: string };

/** SMS leaves through Twilio's Messages API; `fake` (development only) keeps messages in memory. */
export type SmsProvider =
  | { readonly kind: 'twilio'; readonly apiUrl: string; readonly accountSid: string; readonly authToken: string; readonly from: string }
  | { readonly kind: 'fake' };

export interface ProviderSettings {
  readonly email: EmailProvider;
  readonly sms: SmsProvider;
}

/** A provider variable: the real provider, and the development-only one that delivers nothing. */
interface ProviderChoice<Real extends string, DevOnly extends string> {
  readonly name: string;
  readonly real: Real;
  readonly devOnly: DevOnly;
}

const EMAIL_PROVIDER: ProviderChoice<'smtp', 'file'> = { name: 'EMAIL_PROVIDER', real: 'smtp', devOnly: 'file' };
const SMS_PROVIDER: ProviderChoice<'twilio', 'fake'> = { name: 'SMS_PROVIDER', real: 'twilio', devOnly: 'fake' };

const E164 = /^\+[1-9][0-9]{6,14}$/;
/** Twilio's alphanumeric sender ids: up to 11 letters, digits and spaces, at least one letter. */
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;

/**
 * Reads which providers deliver e-mail and SMS. In production (`NODE_ENV=production`, as the
 * Dockerfile sets) both must be real ones, or this throws a ConfigError naming the variable, so a
 * misconfigured service fails at start instead of marking messages sent that nobody receives.
 * Elsewhere an unset provider falls back to the development-only one, and `warn` says so.
 */
export function loadProviderSettings(env: Env, warn: (message: string) => void = () => undefined): ProviderSettings {
  const production = env.NODE_ENV === 'production';
  const email = providerKind(env, EMAIL_PROVIDER, production, warn);
  const sms = providerKind(env, SMS_PROVIDER, production, warn);
  return {
    email: email === 'smtp' ? smtpProvider(env, production) : fileProvider(env),
    sms: sms === 'twilio' ? twilioProvider(env, production) : { kind: 'fake' },
  };
}

function providerKind<Real extends string, DevOnly extends string>(
  env: Env,
  { name, real, devOnly }: ProviderChoice<Real, DevOnly>,
  production: boolean,
  warn: (message: string) => void,
): Real | DevOnly {
  if (!env[name]) {
    if (production) throw new ConfigError(`${name} must be set in production (${real})`);
    warn(`${name} is not set; using the development-only '${devOnly}' provider, which delivers nothing. Set ${name}=${real} to deliver.`);
    return devOnly;
  }
  const kind = oneOf<Real | DevOnly>(env, name, [real, devOnly], devOnly);
  if (production && kind === devOnly) {
    throw new ConfigError(`${name}=${devOnly} is for development only; set ${name}=${real} in production`);
  }
  return kind;
}

function smtpProvider(env: Env, production: boolean): EmailProvider {
  const url = requiredSetting(env, 'SMTP_URL');
  if (!isSmtpUrl(url)) {
    // The value is left out of the message: it usually carries the SMTP password.
    throw new ConfigError('SMTP_URL must be an smtp:// or smtps:// URL with a host, like smtp://user:pass@mail.example.com:587');
  }
  const from = requiredSetting(env, 'SMTP_FROM');
  if (!isSender(from)) {
    throw new ConfigError(`SMTP_FROM must be an e-mail address, optionally with a name ("Acme <noreply@acme.example>"), got ${JSON.stringify(from)}`);
  }
  // In production an smtp:// connection must upgrade with STARTTLS before the password is sent;
  // elsewhere a local catch-all server without TLS is fine.
  return { kind: 'smtp', url, from, requireTls: production };
}

function fileProvider(env: Env): EmailProvider {
  return { kind: 'file', directory: emailOutboxDir(env), from: env.EMAIL_FROM || 'notifications@localhost' };
}

function twilioProvider(env: Env, production: boolean): SmsProvider {
  const accountSid = requiredSetting(env, 'TWILIO_ACCOUNT_SID');
  if (!/^AC[0-9a-f]{32}$/i.test(accountSid)) {
    throw new ConfigError(`TWILIO_ACCOUNT_SID must be 'AC' and 32 hex digits, got ${JSON.stringify(accountSid)}`);
  }
  const authToken = requiredSetting(env, 'TWILIO_AUTH_TOKEN');
  const from = requiredSetting(env, 'SMS_FROM');
  if (!E164.test(from) && !ALPHANUMERIC_SENDER.test(from)) {
    throw new ConfigError(`SMS_FROM must be an E.164 number like +14155550100 or an alphanumeric sender id, got ${JSON.stringify(from)}`);
  }
  return { kind: 'twilio', apiUrl: smsApiUrl(env, production), accountSid, authToken, from };
}

/** SMS_API_URL exists so tests can point the adapter at a local double of Twilio. */
function smsApiUrl(env: Env, production: boolean): string {
  const raw = env.SMS_API_URL || 'https://api.twilio.com';
  const url = URL.canParse(raw) ? new URL(raw) : null;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new ConfigError(`SMS_API_URL must be an http(s) URL, got ${JSON.stringify(raw)}`);
  }
  // The auth token travels in every request, so it never crosses the network in the clear.
  if (production && url.protocol !== 'https:') throw new ConfigError(`SMS_API_URL must use https in production, got ${JSON.stringify(raw)}`);
  return raw.replace(/\/+$/, '');
}

function isSmtpUrl(raw: string): boolean {
  if (!URL.canParse(raw)) return false;
  const url = new URL(raw);
  return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
}

function isSender(from: string): boolean {
  if (/[\r\n]/.test(from)) return false;
  const address = /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
  return /^[^\s@<>]+@[^\s@<>]+$/.test(address);
}

/**
 * EMAIL_OUTBOX_DIR, else a folder under the OS temp dir: writable for the image's non-root user,
 * and never inside the repository.
 */
export function emailOutboxDir(env: Env): string {
  return env.EMAIL_OUTBOX_DIR || join(tmpdir(), 'notification-outbox-mail');
}

import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { natsUrl } from '@paver/events/testing';
import { ConfigError, startService } from '@paver/service-runtime';
import { app } from '../src/app.js';
import { loadProviderSettings } from '../src/domain/provider-settings.js';
import { startWorker } from '../src/worker-app.js';
import { startTestService, type TestService } from './support/harness.js';

const SMTP = { EMAIL_PROVIDER: 'smtp', SMTP_URL: 'smtp://mailer:s3cret@127.0.0.1:2525', SMTP_FROM: 'Acme <notify@example.com>' };
const SID = `AC${'0123456789abcdef'.repeat(2)}`;
const TWILIO = { SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 'token', SMS_FROM: '+14155550199' };
const PRODUCTION = { NODE_ENV: 'production', ...SMTP, ...TWILIO };

describe('provider settings', () => {
  it('reads SMTP and Twilio, with Twilio’s own API as the default base URL and TLS required in production', () => {
    expect(loadProviderSettings(PRODUCTION)).toEqual({
      email: { kind: 'smtp', url: SMTP.SMTP_URL, from: SMTP.SMTP_FROM, requireTls: true },
      sms: { kind: 'twilio', apiUrl: 'https://api.twilio.com', accountSid: SID, authToken: 'token', from: '+14155550199' },
    });
  });

  it('outside production, lets SMTP run without TLS and SMS_API_URL name a local double', () => {
    expect(loadProviderSettings({ ...SMTP, ...TWILIO, SMS_API_URL: 'http://127.0.0.1:9999/' })).toMatchObject({
      email: { kind: 'smtp', requireTls: false },
      sms: { kind: 'twilio', apiUrl: 'http://127.0.0.1:9999' },
    });
  });

  it('outside production, falls back to the development adapters and warns about each', () => {
    const warnings: string[] = [];
    expect(loadProviderSettings({}, message => warnings.push(message))).toEqual({
      email: { kind: 'file', directory: join(tmpdir(), 'notification-outbox-mail'), from: 'notifications@localhost' },
      sms: { kind: 'fake' },
    });
    expect(warnings).toEqual([
      "EMAIL_PROVIDER is not set; using the development-only 'file' provider, which delivers nothing. Set EMAIL_PROVIDER=smtp to deliver.",
      "SMS_PROVIDER is not set; using the development-only 'fake' provider, which delivers nothing. Set SMS_PROVIDER=twilio to deliver.",
    ]);
  });

  it('takes the development adapters without a warning when they are asked for by name', () => {
    const warnings: string[] = [];
    const settings = loadProviderSettings({ EMAIL_PROVIDER: 'file', EMAIL_OUTBOX_DIR: '/tmp/mail', EMAIL_FROM: 'dev@example.com', SMS_PROVIDER: 'fake' }, m => warnings.push(m));
    expect(settings).toEqual({ email: { kind: 'file', directory: '/tmp/mail', from: 'dev@example.com' }, sms: { kind: 'fake' } });
    expect(warnings).toEqual([]);
  });

  it.each([
    [{ ...PRODUCTION, EMAIL_PROVIDER: undefined }, 'EMAIL_PROVIDER must be set in production (smtp)'],
    [{ ...PRODUCTION, SMS_PROVIDER: '' }, 'SMS_PROVIDER must be set in production (twilio)'],
    [{ ...PRODUCTION, EMAIL_PROVIDER: 'file' }, 'EMAIL_PROVIDER=file is for development only; set EMAIL_PROVIDER=smtp in production'],
    [{ ...PRODUCTION, SMS_PROVIDER: 'fake' }, 'SMS_PROVIDER=fake is for development only; set SMS_PROVIDER=twilio in production'],
    [{ ...PRODUCTION, SMS_API_URL: 'http://api.twilio.com' }, 'SMS_API_URL must use https in production, got "http://api.twilio.com"'],
  ])('refuses production without real providers: %j', (env, message) => {
    expect(() => loadProviderSettings(env)).toThrow(new ConfigError(message));
  });

  it.each([
    [{ EMAIL_PROVIDER: 'sendgrid' }, 'EMAIL_PROVIDER must be one of smtp, file, got "sendgrid"'],
    [{ EMAIL_PROVIDER: 'smtp' }, 'SMTP_URL must be set'],
    [{ ...SMTP, SMTP_FROM: '' }, 'SMTP_FROM must be set'],
    [{ ...SMTP, SMTP_FROM: 'notify at example.com' }, 'SMTP_FROM must be an e-mail address, optionally with a name ("Acme <noreply@acme.example>"), got "notify at example.com"'],
    [{ SMS_PROVIDER: 'twilio' }, 'TWILIO_ACCOUNT_SID must be set'],
    [{ ...TWILIO, TWILIO_ACCOUNT_SID: 'SK123' }, `TWILIO_ACCOUNT_SID must be 'AC' and 32 hex digits, got "SK123"`],
    [{ ...TWILIO, TWILIO_AUTH_TOKEN: '' }, 'TWILIO_AUTH_TOKEN must be set'],
    [{ ...TWILIO, SMS_FROM: '0800 123 456' }, 'SMS_FROM must be an E.164 number like +14155550100 or an alphanumeric sender id, got "0800 123 456"'],
    [{ ...TWILIO, SMS_API_URL: 'ftp://127.0.0.1' }, 'SMS_API_URL must be an http(s) URL, got "ftp://127.0.0.1"'],
  ])('refuses %j with an error naming the variable', (env, message) => {
    expect(() => loadProviderSettings(env)).toThrow(new ConfigError(message));
  });

  it('names a malformed SMTP_URL without repeating it (it holds the password)', () => {
    const attempt = () => loadProviderSettings({ ...SMTP, SMTP_URL: 'https://mailer:s3cret@127.0.0.1' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/^SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/);
    expect(attempt).not.toThrow(/s3cret/);
  });
});

describe('starting in production without providers', () => {
  let service: TestService;
  const schemas: string[] = [];
  const freshSchema = () => {
    const schema = `refused_${randomBytes(6).toString('hex')}`;
    schemas.push(schema);
    return schema;
  };
  const schemaExists = async (schema: string) =>
    (await service.db.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema])).length > 0;

  beforeAll(async () => {
    // Only for its database: the refused starts below need a real one to prove what they touch.
    service = await startTestService();
  });
  afterAll(async () => {
    for (const schema of schemas) await service.db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await service?.stop();
  });

  it('the API refuses to start, naming the variable (main.ts then exits non-zero)', async () => {
    const env = { NODE_ENV: 'production', LOG_LEVEL: 'silent', PORT: '0', DATABASE_URL: service.config.databaseUrl, DATABASE_SCHEMA: freshSchema() };
    await expect(startService(app, env)).rejects.toThrow(new ConfigError('EMAIL_PROVIDER must be set in production (smtp)'));
  });

  it('the worker refuses to start before it touches the database', async () => {
    const schema = freshSchema();
    const env = { NODE_ENV: 'production', ...SMTP, LOG_LEVEL: 'silent', DATABASE_URL: service.config.databaseUrl, DATABASE_SCHEMA: schema };
    await expect(startWorker(env)).rejects.toThrow(new ConfigError('SMS_PROVIDER must be set in production (twilio)'));
    expect(await schemaExists(schema)).toBe(false);
  });

  it('both start in production once real providers are configured', async () => {
    // The API also needs the auth service it trusts: the test issuer the harness gave `service`.
    const { AUTH_JWKS_URL, AUTH_ISSUER } = service.config.env as Record<string, string>;
    const env = { ...PRODUCTION, AUTH_JWKS_URL, AUTH_ISSUER, NATS_URL: natsUrl(), LOG_LEVEL: 'silent', PORT: '0', DATABASE_URL: service.config.databaseUrl, DATABASE_SCHEMA: freshSchema() };
    const api = await startService(app, env);
    await api.stop();
    const worker = await startWorker(env);
    await worker.stop();
  });
});

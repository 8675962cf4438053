import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileEmailAdapter } from '../src/domain/adapters/email-file.js';
import { FakeSmsProvider } from '../src/domain/adapters/sms-fake.js';
import type { OutboundMessage } from '../src/domain/channels.js';

const message = (patch: Partial<OutboundMessage> = {}): OutboundMessage => ({
  messageId: '6f1c1f64-95a4-4a57-9f0f-5c1d1b3a0001',
  channel: 'email',
  recipientId: 'ada',
  address: 'ada@example.com',
  subject: 'Hello',
  body: 'Welcome, Ada!',
  ...patch,
});

describe('the file e-mail adapter (development only)', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes one .eml file per message, and overwrites it when the message is sent again', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mail-'));
    const adapter = new FileEmailAdapter(join(dir, 'out'), 'noreply@example.com');
    expect(await adapter.send(message())).toEqual({ ok: true, providerMessageId: `file:${message().messageId}` });
    await adapter.send(message());
    const files = await readdir(join(dir, 'out'));
    expect(files).toEqual([`${message().messageId}.eml`]);
    const eml = await readFile(join(dir, 'out', files[0]), 'utf8');
    expect(eml).toContain('To: ada@example.com\r\nSubject: Hello\r\n');
    expect(eml.endsWith('\r\n\r\nWelcome, Ada!\r\n')).toBe(true);
  });

  it('keeps a subject with line breaks from adding headers', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mail-'));
    const adapter = new FileEmailAdapter(dir);
    await adapter.send(message({ subject: 'Hi\r\nBcc: everyone@example.com' }));
    const eml = await readFile(join(dir, `${message().messageId}.eml`), 'utf8');
    expect(eml).toContain('Subject: Hi Bcc: everyone@example.com\r\n');
    expect(eml).not.toMatch(/^Bcc:/m);
  });

  it('fails permanently without an address, and retryably when it cannot write', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mail-'));
    expect(await new FileEmailAdapter(dir).send(message({ address: null }))).toMatchObject({ ok: false, retryable: false });
    const blocked = new FileEmailAdapter('/dev/null/cannot-be-a-folder');
    expect(await blocked.send(message())).toMatchObject({ ok: false, retryable: true });
  });
});

describe('the fake SMS provider (development only)', () => {
  const sms = (patch: Partial<OutboundMessage> = {}) => message({ channel: 'sms', address: '+14155550100', subject: null, ...patch });

  it('accepts an E.164 number once per message id', async () => {
    const provider = new FakeSmsProvider();
    const first = await provider.send(sms());
    const again = await provider.send(sms());
    expect(first.ok && again.ok && first.providerMessageId === again.providerMessageId).toBe(true);
    expect(provider.sent()).toEqual([{ to: '+14155550100', body: 'Welcome, Ada!', providerMessageId: (first as { providerMessageId: string }).providerMessageId }]);
  });

  it('fails permanently for an invalid number or an over-long body', async () => {
    const provider = new FakeSmsProvider();
    expect(await provider.send(sms({ address: '0800 123' }))).toEqual({ ok: false, retryable: false, reason: "invalid phone number '0800 123'" });
    expect(await provider.send(sms({ body: 'x'.repeat(961) }))).toEqual({ ok: false, retryable: false, reason: 'body longer than 960 characters' });
    expect(provider.sent()).toEqual([]);
  });
});

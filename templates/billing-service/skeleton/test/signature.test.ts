import {
  computeSignature,
  signatureHeader,
  verifySignature,
} from '../src/domain/psp/signature.js';

const secret = 'whsec_unit_test_secret_value';
const body = Buffer.from('{"id":"evt_1","type":"payment_succeeded","data":{}}');
const now = new Date('2026-01-01T00:00:00Z');
const t = Math.floor(now.getTime() / 1000);
const options = { secret, toleranceSeconds: 300, now };

function refusal(header: string | undefined, raw = body, opts = options) {
  try {
    verifySignature(header, raw, opts);
  } catch (error) {
    return error as { status: number; code: string; message: string };
  }
  throw new Error('the signature was accepted');
}

describe('PSP signature verification', () => {
  it('accepts an HMAC-SHA256 of "timestamp.body" made with the shared secret', () => {
    expect(() =>
      verifySignature(signatureHeader(secret, t, body), body, options),
    ).not.toThrow();
  });

  it('matches an independently computed HMAC, so the wire format is what the PSP documents', async () => {
    const { createHmac } = await import('node:crypto');
    const expected = createHmac('sha256', secret)
      .update(`${t}.${body.toString()}`)
      .digest('hex');
    expect(computeSignature(secret, t, body)).toBe(expected);
  });

  it('refuses a signature made with another secret', () => {
    expect(
      refusal(signatureHeader('whsec_someone_else_entirely', t, body)),
    ).toMatchObject({ status: 401, code: 'invalid_signature' });
  });

  it('refuses a body changed after signing', () => {
    const tampered = Buffer.from(body.toString().replace('evt_1', 'evt_2'));
    expect(refusal(signatureHeader(secret, t, body), tampered)).toMatchObject({
      status: 401,
      code: 'invalid_signature',
    });
  });

  it('refuses a signature whose timestamp was changed (the timestamp is signed too)', () => {
    const v1 = computeSignature(secret, t, body);
    expect(refusal(`t=${t + 1},v1=${v1}`)).toMatchObject({
      status: 401,
      code: 'invalid_signature',
    });
  });

  it('refuses a correctly signed request older than the tolerance window', () => {
    const old = t - 301;
    expect(refusal(signatureHeader(secret, old, body))).toMatchObject({
      status: 401,
      code: 'signature_expired',
    });
  });

  it('refuses a timestamp too far in the future', () => {
    expect(refusal(signatureHeader(secret, t + 301, body))).toMatchObject({
      status: 401,
      code: 'signature_expired',
    });
  });

  it('accepts a request at the edge of the tolerance window', () => {
    expect(() =>
      verifySignature(signatureHeader(secret, t - 300, body), body, options),
    ).not.toThrow();
  });

  it('accepts any of several v1 signatures, as sent while the PSP rotates secrets', () => {
    const header = `t=${t},v1=${computeSignature(
      'whsec_the_old_secret_value',
      t,
      body,
    )},v1=${computeSignature(secret, t, body)}`;
    expect(() => verifySignature(header, body, options)).not.toThrow();
  });

  it('names a missing header', () => {
    expect(refusal(undefined)).toMatchObject({
      status: 400,
      code: 'missing_signature',
    });
  });

  it.each([
    ['no timestamp', `v1=${'a'.repeat(64)}`],
    ['no v1', `t=${t}`],
    ['a short v1', `t=${t},v1=abc`],
    ['a non-numeric timestamp', `t=soon,v1=${'a'.repeat(64)}`],
    ['garbage', 'hello'],
  ])('refuses a malformed header with %s', (_, header) => {
    expect(refusal(header)).toMatchObject({
      status: 400,
      code: 'malformed_signature',
    });
  });
});

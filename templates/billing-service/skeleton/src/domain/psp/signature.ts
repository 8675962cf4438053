import { createHmac, timingSafeEqual } from 'node:crypto';
import { HttpError } from '@paver/service-runtime';

export const SIGNATURE_HEADER = 'psp-signature';

/** Why a signature was refused; each maps to one error code so the PSP's logs say which. */
export class SignatureError extends HttpError {
  constructor(status: 400 | 401, code: string, message: string) {
    super(status, code, message);
    this.name = 'SignatureError';
  }
}

export interface VerifyOptions {
  secret: string;
  /** How far the signed timestamp may be from now, either way. */
  toleranceSeconds: number;
  now: Date;
}

/** The hex HMAC-SHA256 of `timestamp.body`, as the PSP computes it. */
export function computeSignature(
  secret: string,
  timestamp: number,
  rawBody: Buffer | string,
): string {
  return createHmac('sha256', secret)
    .update(`${timestamp}.`)
    .update(rawBody)
    .digest('hex');
}

/** A complete `Psp-Signature` header value, for tests and local tools that play the PSP. */
export function signatureHeader(
  secret: string,
  timestamp: number,
  rawBody: Buffer | string,
): string {
  return `t=${timestamp},v1=${computeSignature(secret, timestamp, rawBody)}`;
}

/**
 * Verifies `Psp-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>...]` over the raw body. Several v1
 * entries are allowed because the PSP sends one per active secret while a secret is rotated.
 * The comparison is constant-time; the timestamp check bounds how long a captured request can be
 * replayed (event ids cover replays inside the window).
 */
export function verifySignature(
  header: string | undefined,
  rawBody: Buffer,
  options: VerifyOptions,
): void {
  if (!header)
    throw new SignatureError(
      400,
      'missing_signature',
      'the Psp-Signature header is missing',
    );
  const { timestamp, signatures } = parseHeader(header);
  const expected = Buffer.from(
    computeSignature(options.secret, timestamp, rawBody),
    'hex',
  );
  const matches = signatures.some(s =>
    timingSafeEqual(Buffer.from(s, 'hex'), expected),
  );
  if (!matches)
    throw new SignatureError(
      401,
      'invalid_signature',
      'the Psp-Signature does not match the body',
    );
  const ageSeconds = Math.abs(options.now.getTime() / 1000 - timestamp);
  if (ageSeconds > options.toleranceSeconds) {
    throw new SignatureError(
      401,
      'signature_expired',
      `the signed timestamp is ${Math.round(
        ageSeconds,
      )} s from now; the tolerance is ${options.toleranceSeconds} s`,
    );
  }
}

function parseHeader(header: string): {
  timestamp: number;
  signatures: string[];
} {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value = ''] = part.trim().split('=', 2);
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    // Only a 64-hex v1 can be compared in constant time against our digest; others are ignored.
    if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) {
    throw new SignatureError(
      400,
      'malformed_signature',
      'Psp-Signature must look like t=<unix seconds>,v1=<64 hex>',
    );
  }
  return { timestamp, signatures };
}

import { sign, verify, type KeyObject } from 'node:crypto';

/** A token that must not be trusted; `reason` is for logs and introspection, not for clients. */
export class TokenInvalidError extends Error {
  constructor(readonly reason: string) {
    super(`token is invalid: ${reason}`);
    this.name = 'TokenInvalidError';
  }
}

export interface AccessClaims {
  iss: string;
  sub: string;
  aud: string;
  iat: number;
  exp: number;
  jti: string;
  email: string;
  /** Space-separated scopes (RFC 9068), when the service grants any. */
  scope?: string;
}

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs claims as a compact JWS with RS256; `kid` names the key for verifiers using the JWKS. */
export function signJwt(claims: AccessClaims, key: { kid: string; privateKey: KeyObject }): string {
  const signingInput = `${b64url({ alg: 'RS256', typ: 'JWT', kid: key.kid })}.${b64url(claims)}`;
  const signature = sign('sha256', Buffer.from(signingInput), key.privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

export interface VerifyOptions {
  issuer: string;
  audience: string;
  /** Seconds since the epoch. @default now */
  now?: number;
  /** Allowed clock skew in seconds. @default 30 */
  leewaySeconds?: number;
}

/**
 * Verifies an RS256 JWT against public keys by kid. Only RS256 is accepted: a token cannot pick
 * `none` or an HMAC algorithm keyed with the public key.
 */
export function verifyJwt(token: string, publicKeys: Map<string, KeyObject>, options: VerifyOptions): AccessClaims {
  const parts = token.split('.');
  if (parts.length !== 3) throw new TokenInvalidError('not a compact JWS');
  const header = decodeJson(parts[0], 'header');
  if (header.alg !== 'RS256') throw new TokenInvalidError(`algorithm ${String(header.alg)} is not accepted`);
  const key = typeof header.kid === 'string' ? publicKeys.get(header.kid) : undefined;
  if (!key) throw new TokenInvalidError('unknown signing key');
  const valid = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), key, Buffer.from(parts[2], 'base64url'));
  if (!valid) throw new TokenInvalidError('bad signature');
  const claims = decodeJson(parts[1], 'payload') as unknown as AccessClaims;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const leeway = options.leewaySeconds ?? 30;
  if (typeof claims.exp !== 'number' || claims.exp + leeway <= now) throw new TokenInvalidError('expired');
  if (typeof claims.iat === 'number' && claims.iat - leeway > now) throw new TokenInvalidError('issued in the future');
  if (claims.iss !== options.issuer) throw new TokenInvalidError('wrong issuer');
  if (claims.aud !== options.audience) throw new TokenInvalidError('wrong audience');
  return claims;
}

function decodeJson(part: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new TokenInvalidError(`${what} is not a JSON object`);
}

/** The public key as a JWK (RFC 7517) for the JWKS endpoint: never any private member. */
export function publicJwk(publicKey: KeyObject, kid: string): Record<string, string> {
  const { kty, n, e } = publicKey.export({ format: 'jwk' });
  return { kty: String(kty), n: String(n), e: String(e), kid, alg: 'RS256', use: 'sig' };
}

import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { signJwt, verifyJwt, type AccessClaims } from '../src/domain/jwt.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const keys = new Map<string, KeyObject>([['k1', publicKey]]);
const options = { issuer: 'urn:test', audience: 'svc', now: 1_000_000 };
const claims: AccessClaims = { iss: 'urn:test', sub: 'u1', aud: 'svc', iat: 999_990, exp: 1_000_900, jti: 'j1', email: 'a@b.co' };

const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('RS256 JWTs', () => {
  it('verifies a token it signed and returns its claims', () => {
    const token = signJwt(claims, { kid: 'k1', privateKey });
    expect(verifyJwt(token, keys, options)).toEqual(claims);
  });

  it('names the key in the header', () => {
    const token = signJwt(claims, { kid: 'k1', privateKey });
    expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString())).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'k1' });
  });

  it('rejects a token whose payload was changed', () => {
    const [h, , s] = signJwt(claims, { kid: 'k1', privateKey }).split('.');
    expect(() => verifyJwt(`${h}.${b64({ ...claims, sub: 'admin' })}.${s}`, keys, options)).toThrow(/bad signature/);
  });

  it('rejects a token signed by another key under a known kid', () => {
    const token = signJwt(claims, { kid: 'k1', privateKey: other.privateKey });
    expect(() => verifyJwt(token, keys, options)).toThrow(/bad signature/);
  });

  it('rejects alg none', () => {
    const token = `${b64({ alg: 'none', kid: 'k1' })}.${b64(claims)}.`;
    expect(() => verifyJwt(token, keys, options)).toThrow(/algorithm none is not accepted/);
  });

  it('rejects HS256 keyed with the public key (algorithm confusion)', () => {
    const input = `${b64({ alg: 'HS256', kid: 'k1' })}.${b64(claims)}`;
    const pem = publicKey.export({ format: 'pem', type: 'spki' });
    const sig = createHmac('sha256', pem).update(input).digest('base64url');
    expect(() => verifyJwt(`${input}.${sig}`, keys, options)).toThrow(/algorithm HS256 is not accepted/);
  });

  it('rejects an unknown kid', () => {
    const token = signJwt(claims, { kid: 'k9', privateKey });
    expect(() => verifyJwt(token, keys, options)).toThrow(/unknown signing key/);
  });

  it('rejects an expired token', () => {
    const token = signJwt(claims, { kid: 'k1', privateKey });
    expect(() => verifyJwt(token, keys, { ...options, now: claims.exp + 31 })).toThrow(/expired/);
  });

  it('rejects the wrong audience or issuer', () => {
    const token = signJwt(claims, { kid: 'k1', privateKey });
    expect(() => verifyJwt(token, keys, { ...options, audience: 'other' })).toThrow(/wrong audience/);
    expect(() => verifyJwt(token, keys, { ...options, issuer: 'urn:evil' })).toThrow(/wrong issuer/);
  });

  it('rejects something that is not a JWT', () => {
    expect(() => verifyJwt('not-a-token', keys, options)).toThrow(/not a compact JWS/);
    expect(() => verifyJwt('a.b.c', keys, options)).toThrow(/header is not a JSON object/);
  });
});

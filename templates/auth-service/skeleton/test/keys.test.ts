import { createPublicKey, verify } from 'node:crypto';
import { KeyStore } from '../src/domain/keys.js';
import { jwtPart, startAuthApi, type AuthApi } from './support/auth-client.js';

describe('signing keys and the JWKS', () => {
  let api: AuthApi;
  beforeAll(async () => {
    api = await startAuthApi();
  });
  afterAll(async () => {
    await api?.service.stop();
  });

  it('creates the first key at first use, stores it in the database and publishes only its public part', async () => {
    const before = await api.service.db.query('SELECT kid FROM signing_keys');
    expect(before).toEqual([]);
    const res = await api.get('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.body.keys).toHaveLength(1);
    const [jwk] = res.body.keys;
    expect(jwk).toEqual({ kty: 'RSA', n: expect.any(String), e: 'AQAB', kid: expect.any(String), alg: 'RS256', use: 'sig' });
    expect(jwk).not.toHaveProperty('d');
    const rows = await api.service.db.query<{ kid: string }>('SELECT kid FROM signing_keys');
    expect(rows.map(r => r.kid)).toEqual([jwk.kid]);
  });

  it('signs tokens that verify with the published key of the same kid', async () => {
    await api.signUp('key-user@example.org');
    const { body } = await api.logIn('key-user@example.org');
    const { body: jwks } = await api.get('/.well-known/jwks.json');
    const header = jwtPart(body.access_token, 0);
    const jwk = jwks.keys.find((k: { kid: string }) => k.kid === header.kid);
    expect(jwk).toBeDefined();
    const [h, p, s] = body.access_token.split('.');
    const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
    expect(verify('sha256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url'))).toBe(true);
  });

  it('creates exactly one key when many requests race at first start', async () => {
    const store = new KeyStore(api.service.db, 900);
    await api.service.db.query('DELETE FROM signing_keys');
    const kids = await Promise.all(Array.from({ length: 5 }, () => store.signingKey().then(k => k.kid)));
    expect(new Set(kids).size).toBe(1);
    expect(await api.service.db.query('SELECT kid FROM signing_keys')).toHaveLength(1);
  });

  it('rotates to a new kid while tokens signed by the old key keep working', async () => {
    await api.signUp('rotation@example.org');
    const before = await api.logIn('rotation@example.org');
    const oldKid = jwtPart(before.body.access_token, 0).kid;
    const newKid = await new KeyStore(api.service.db, 900).rotate();
    expect(newKid).not.toBe(oldKid);
    const after = await api.logIn('rotation@example.org');
    expect(jwtPart(after.body.access_token, 0).kid).toBe(newKid);
    const { body: jwks } = await api.get('/.well-known/jwks.json');
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toEqual([newKid, oldKid]);
    const me = await api.get('/me', { authorization: `Bearer ${before.body.access_token}` });
    expect(me.status).toBe(200);
  });

  it('stops publishing a retired key once its grace period is over', async () => {
    const store = new KeyStore(api.service.db, 900);
    const current = (await store.signingKey()).kid;
    await store.rotate();
    await api.service.db.query(`UPDATE signing_keys SET retired_at = now() - interval '1 hour' WHERE kid = $1`, [current]);
    const { body: jwks } = await api.get('/.well-known/jwks.json');
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).not.toContain(current);
  });
});

import { createPublicKey, verify } from 'node:crypto';
import { KeyStore } from '../src/domain/keys.js';
import { jwtPart, KEYS_ADMIN_TOKEN, ManualClock, startAuthApi, type AuthApi } from './support/auth-client.js';

const SCHEDULE = { accessTokenTtlSeconds: 900, jwksMaxAgeSeconds: 300 };
const kids = (jwks: { keys: { kid: string }[] }) => jwks.keys.map(k => k.kid);

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
    const store = new KeyStore(api.service.db, SCHEDULE);
    await api.service.db.query('DELETE FROM signing_keys');
    const kids = await Promise.all(Array.from({ length: 5 }, () => store.signingKey().then(k => k.kid)));
    expect(new Set(kids).size).toBe(1);
    expect(await api.service.db.query('SELECT kid FROM signing_keys')).toHaveLength(1);
  });

  it('rotates to a new kid, signing with it only after the JWKS cache window, while old tokens keep working', async () => {
    await api.signUp('rotation@example.org');
    const before = await api.logIn('rotation@example.org');
    const oldKid = jwtPart(before.body.access_token, 0).kid;
    const clock = new ManualClock();
    const store = new KeyStore(api.service.db, SCHEDULE, clock.now);
    const { kid: newKid } = await store.rotate();
    expect(newKid).not.toBe(oldKid);
    expect((await store.signingKey()).kid).toBe(oldKid);
    const { body: jwks } = await api.get('/.well-known/jwks.json');
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toEqual([newKid, oldKid]);
    clock.advanceSeconds(300);
    expect((await store.signingKey()).kid).toBe(newKid);
    const me = await api.get('/me', { authorization: `Bearer ${before.body.access_token}` });
    expect(me.status).toBe(200);
  });

  it('stops publishing a retired key once its grace period is over', async () => {
    const store = new KeyStore(api.service.db, SCHEDULE);
    const current = (await store.signingKey()).kid;
    await store.rotate();
    await api.service.db.query(`UPDATE signing_keys SET retired_at = now() - interval '1 hour' WHERE kid = $1`, [current]);
    const { body: jwks } = await api.get('/.well-known/jwks.json');
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).not.toContain(current);
  });
});

describe('POST /keys/rotate', () => {
  const clock = new ManualClock();
  let api: AuthApi;
  const admin = { authorization: `Bearer ${KEYS_ADMIN_TOKEN}` };
  const rotate = (headers: Record<string, string> = admin) => api.post('/keys/rotate', {}, headers);
  const jwksKids = async () => kids((await api.get('/.well-known/jwks.json')).body);
  const signingKid = async () => {
    const { body } = await api.logIn('rotate-route@example.org');
    return jwtPart(body.access_token, 0).kid as string;
  };

  beforeAll(async () => {
    api = await startAuthApi({}, { clock });
    await api.signUp('rotate-route@example.org');
  });
  afterAll(async () => {
    await api?.service.stop();
  });

  it('refuses callers without the KEYS_ADMIN_TOKEN bearer token', async () => {
    expect((await rotate({})).status).toBe(401);
    const wrong = await rotate({ authorization: 'Bearer guessed' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toEqual({ code: 'unauthorized', message: 'key rotation needs the Bearer token configured as KEYS_ADMIN_TOKEN' });
    expect(await api.service.db.query('SELECT kid FROM signing_keys')).toHaveLength(0);
  });

  it('refuses every caller when no KEYS_ADMIN_TOKEN is configured', async () => {
    const bare = await startAuthApi({ KEYS_ADMIN_TOKEN: '' });
    try {
      expect((await bare.post('/keys/rotate', {}, { authorization: 'Bearer ' })).status).toBe(401);
    } finally {
      await bare.service.stop();
    }
  });

  it('publishes the next key at once, signs with it after the JWKS max-age, and retires the old one after TTL plus that window', async () => {
    const oldKid = await signingKid();
    const maxAge = Number(/max-age=(\d+)/.exec((await api.get('/.well-known/jwks.json')).headers.get('cache-control') ?? '')?.[1]);
    expect(maxAge).toBe(300);
    const rotatedAt = clock.now().getTime();
    const res = await rotate();
    expect(res.status).toBe(202);
    const newKid = res.body.kid;
    expect(res.body).toEqual({
      kid: newKid,
      signsFrom: new Date(rotatedAt + maxAge * 1000).toISOString(),
      replaces: {
        kid: oldKid,
        signsUntil: new Date(rotatedAt + maxAge * 1000).toISOString(),
        publishedUntil: new Date(rotatedAt + (maxAge + 900 + maxAge) * 1000).toISOString(),
      },
    });
    // Published before it signs: a verifier that fetched the JWKS now knows the key before any token carries it.
    expect(await jwksKids()).toEqual([newKid, oldKid]);
    expect(await signingKid()).toBe(oldKid);
    clock.advanceSeconds(maxAge - 1);
    expect(await signingKid()).toBe(oldKid);
    const lastOldToken = (await api.logIn('rotate-route@example.org')).body.access_token;
    clock.advanceSeconds(1);
    expect(await signingKid()).toBe(newKid);
    // The old key's last token lives 900 s more; the JWKS keeps the key that long plus one cache window.
    clock.advanceSeconds(899);
    expect((await api.get('/me', { authorization: `Bearer ${lastOldToken}` })).status).toBe(200);
    clock.advanceSeconds(maxAge);
    expect(await jwksKids()).toEqual([newKid, oldKid]);
    clock.advanceSeconds(1);
    expect(await jwksKids()).toEqual([newKid]);
  });

  it('returns the pending plan again when called twice inside the window, adding no third key', async () => {
    const first = await rotate();
    clock.advanceSeconds(10);
    const second = await rotate();
    expect(second.status).toBe(202);
    expect(second.body).toEqual(first.body);
    expect(await jwksKids()).toEqual([first.body.kid, first.body.replaces.kid]);
  });

  it('leads by whatever max-age the JWKS route is configured to send', async () => {
    const short = await startAuthApi({ JWKS_MAX_AGE_SECONDS: '60' }, { clock });
    try {
      expect((await short.get('/.well-known/jwks.json')).headers.get('cache-control')).toBe('public, max-age=60');
      const res = await short.post('/keys/rotate', {}, admin);
      expect(Date.parse(res.body.signsFrom) - clock.now().getTime()).toBe(60_000);
    } finally {
      await short.service.stop();
    }
  });
});

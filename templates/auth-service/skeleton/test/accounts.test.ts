import { hashPassword } from '../src/domain/passwords.js';
import { jwtPart, PASSWORD, startAuthApi, type AuthApi } from './support/auth-client.js';

// Sign-up's one answer, whether or not the email had an account.
const ACCEPTED = { status: 'accepted', message: 'if this email had no account, one now exists with this password; log in to continue' };

describe('accounts: sign-up, login and /me', () => {
  let api: AuthApi;
  beforeAll(async () => {
    api = await startAuthApi();
  });
  afterAll(async () => {
    await api?.service.stop();
  });

  it('creates an account and never returns or stores the password', async () => {
    const res = await api.signUp('ada@example.org');
    expect(res.status).toBe(202);
    expect(res.body).toEqual(ACCEPTED);
    const [row] = await api.service.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [
      await api.userId('ada@example.org'),
    ]);
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain(PASSWORD);
  });

  it('answers a sign-up for a taken email (in another case) exactly like a new one, and leaves the account alone', async () => {
    const first = await api.signUp('grace@example.org');
    const [before] = await api.service.db.query('SELECT * FROM users WHERE lower(email) = $1', ['grace@example.org']);
    const again = await api.signUp('Grace@Example.org', 'another long passphrase');
    expect(again.status).toBe(first.status);
    expect(again.body).toEqual(first.body);
    expect([...again.headers.keys()].sort()).toEqual([...first.headers.keys()].sort());
    expect(await api.service.db.query('SELECT * FROM users WHERE lower(email) = $1', ['grace@example.org'])).toEqual([before]);
    expect((await api.logIn('grace@example.org')).status).toBe(200);
    expect((await api.logIn('grace@example.org', 'another long passphrase')).status).toBe(401);
  });

  it('spends the same scrypt work on a taken email as on a new one', async () => {
    const hashes = async () => {
      const text = await (await fetch(`${api.service.baseUrl}/metrics`)).text();
      return Number(/^password_hash_operations_total\{operation="hash"\} (\d+)$/m.exec(text)?.[1] ?? 0);
    };
    const timed = async (email: string) => {
      const before = await hashes();
      const started = performance.now();
      await api.signUp(email);
      return { ms: performance.now() - started, hashes: (await hashes()) - before };
    };
    const fresh = await timed('timing@example.org');
    const taken = await timed('Timing@example.org');
    expect(taken.hashes).toBe(1);
    expect(fresh.hashes).toBe(1);
    // A generous bound: skipping scrypt would make the taken case a few milliseconds, not hundreds.
    expect(taken.ms).toBeGreaterThan(fresh.ms / 4);
  });

  it('rehashes a password stored with older scrypt parameters at the next successful login', async () => {
    const legacy = await hashPassword(PASSWORD, { N: 2 ** 15, r: 8, p: 1 });
    await api.service.db.query('INSERT INTO users (email, password_hash) VALUES ($1, $2)', ['legacy@example.org', legacy]);
    expect((await api.logIn('legacy@example.org', 'not the right password')).status).toBe(401);
    const stored = async () =>
      (await api.service.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE email = $1', ['legacy@example.org']))[0]
        .password_hash;
    expect(await stored()).toBe(legacy);
    expect((await api.logIn('legacy@example.org')).status).toBe(200);
    expect(await stored()).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect((await api.logIn('legacy@example.org')).status).toBe(200);
  });

  it('rejects a short password, naming the field', async () => {
    const res = await api.signUp('short@example.org', 'short');
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'weak_password', message: '"password" must be 10 to 256 characters long' });
  });

  it('rejects a password containing the email name (a rule only the domain knows)', async () => {
    const res = await api.signUp('alexandra@example.org', 'alexandra-1234567');
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'weak_password', message: '"password" must not contain the email name' });
  });

  it('rejects an invalid email and a missing field', async () => {
    expect((await api.signUp('not-an-email')).body.error.code).toBe('invalid_email');
    const missing = await api.post('/users', { email: 'x@example.org' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe('"password" must be a string');
  });

  it('logs in with the right password and returns a verifiable token pair', async () => {
    await api.signUp('alan@example.org');
    const user = { id: await api.userId('alan@example.org') };
    const res = await api.logIn('ALAN@example.org');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    expect(jwtPart(res.body.access_token, 1)).toMatchObject({ sub: user.id, email: 'alan@example.org', aud: 'auth-api' });
    expect(jwtPart(res.body.access_token, 1)).not.toHaveProperty('scope');
    const me = await api.get('/me', { authorization: `Bearer ${res.body.access_token}` });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: user.id, email: 'alan@example.org' });
  });

  it('answers a wrong password and an unknown email with the same 401', async () => {
    await api.signUp('barbara@example.org');
    const wrong = await api.logIn('barbara@example.org', 'not the right password');
    const unknown = await api.logIn('nobody@example.org');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('answers a login that breaks the sign-up rules as a wrong password, not a 400', async () => {
    // Login's schema takes what any account may present; the new-account rules are sign-up's.
    const res = await api.logIn('not-an-email', 'short');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_credentials');
  });

  it('refuses /me without a token or with a tampered one', async () => {
    expect((await api.get('/me')).status).toBe(401);
    await api.signUp('edsger@example.org');
    const { body } = await api.logIn('edsger@example.org');
    const [h, p, s] = body.access_token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...jwtPart(body.access_token, 1), sub: '00000000-0000-0000-0000-000000000000' })).toString('base64url');
    const res = await api.get('/me', { authorization: `Bearer ${h}.${forged}.${s}` });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_token');
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(p).not.toBe(forged);
  });
});

describe('access tokens with ACCESS_TOKEN_SCOPES', () => {
  let api: AuthApi;
  beforeAll(async () => {
    api = await startAuthApi({ ACCESS_TOKEN_SCOPES: 'billing:read notifications:read' });
  });
  afterAll(async () => {
    await api?.service.stop();
  });

  it('carry the scopes in the scope claim, which resource servers check per operation', async () => {
    await api.signUp('lin@example.org');
    const res = await api.logIn('lin@example.org');
    expect(jwtPart(res.body.access_token, 1)).toMatchObject({ scope: 'billing:read notifications:read' });
  });
});

import { jwtPart, PASSWORD, startAuthApi, type AuthApi } from './support/auth-client.js';

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
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), email: 'ada@example.org', createdAt: expect.any(String) });
    const [row] = await api.service.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [res.body.id]);
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain(PASSWORD);
  });

  it('refuses a second account for the same email in another case', async () => {
    await api.signUp('grace@example.org');
    const res = await api.signUp('Grace@Example.org');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('email_taken');
  });

  it('rejects a short password, naming the field', async () => {
    const res = await api.signUp('short@example.org', 'short');
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'weak_password', message: '"password" must be 10 to 256 characters long' });
  });

  it('rejects an invalid email and a missing field', async () => {
    expect((await api.signUp('not-an-email')).body.error.code).toBe('invalid_email');
    const missing = await api.post('/users', { email: 'x@example.org' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe('"password" must be a string');
  });

  it('logs in with the right password and returns a verifiable token pair', async () => {
    const { body: user } = await api.signUp('alan@example.org');
    const res = await api.logIn('ALAN@example.org');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    expect(jwtPart(res.body.access_token, 1)).toMatchObject({ sub: user.id, email: 'alan@example.org', aud: 'auth-api' });
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

import { INTROSPECTION_TOKEN, startAuthApi, type AuthApi } from './support/auth-client.js';

describe('token introspection (RFC 7662)', () => {
  let api: AuthApi;
  let tokens: { access_token: string; refresh_token: string };
  let userId: string;
  const auth = { authorization: `Bearer ${INTROSPECTION_TOKEN}` };
  const introspect = (body: unknown, headers = auth) => api.post('/introspect', body, headers);

  beforeAll(async () => {
    api = await startAuthApi();
    await api.signUp('intro@example.org');
    userId = await api.userId('intro@example.org');
    tokens = (await api.logIn('intro@example.org')).body;
  });
  afterAll(async () => {
    await api?.service.stop();
  });

  it('describes an active access token', async () => {
    const res = await introspect({ token: tokens.access_token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      active: true,
      token_type: 'access_token',
      sub: userId,
      username: 'intro@example.org',
      exp: expect.any(Number),
      iat: expect.any(Number),
      iss: 'urn:paver:auth-api',
      aud: 'auth-api',
      jti: expect.any(String),
    });
  });

  it('describes an active refresh token, and reports it inactive once spent', async () => {
    const before = await introspect({ token: tokens.refresh_token, token_type_hint: 'refresh_token' });
    expect(before.body).toMatchObject({ active: true, token_type: 'refresh_token', sub: userId });
    await api.post('/tokens/refresh', { refresh_token: tokens.refresh_token });
    const after = await introspect({ token: tokens.refresh_token });
    expect(after.body).toEqual({ active: false });
  });

  it('ignores a token_type_hint it does not know instead of refusing the request (RFC 7662 §2.1)', async () => {
    const res = await introspect({ token: tokens.access_token, token_type_hint: 'id_token' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ active: true, token_type: 'access_token', sub: userId });
  });

  it('answers only { active: false } for a forged or garbage token', async () => {
    const [h, , s] = tokens.access_token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'someone-else' })).toString('base64url');
    expect((await introspect({ token: `${h}.${forged}.${s}` })).body).toEqual({ active: false });
    expect((await introspect({ token: 'garbage' })).body).toEqual({ active: false });
  });

  it('refuses callers without the introspection credential', async () => {
    expect((await introspect({ token: tokens.access_token }, {} as typeof auth)).status).toBe(401);
    const wrong = await introspect({ token: tokens.access_token }, { authorization: 'Bearer guessed' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('unauthorized');
  });

  it('refuses every caller when no introspection credential is configured', async () => {
    const bare = await startAuthApi({ INTROSPECTION_TOKEN: '' });
    try {
      const res = await bare.post('/introspect', { token: 'x' }, { authorization: 'Bearer ' });
      expect(res.status).toBe(401);
    } finally {
      await bare.service.stop();
    }
  });
});

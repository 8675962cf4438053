import { digest } from '../src/domain/tokens.js';
import { ManualClock, startAuthApi, type AuthApi } from './support/auth-client.js';

// REFRESH_REUSE_GRACE_SECONDS' default: a spent token presented again later than this is a replay.
const GRACE_SECONDS = 10;

describe('refresh tokens', () => {
  const clock = new ManualClock();
  let api: AuthApi;
  let n = 0;
  beforeAll(async () => {
    api = await startAuthApi({}, { clock });
  });
  afterAll(async () => {
    await api?.service.stop();
  });

  async function freshLogin() {
    const email = `refresh-${++n}@example.org`;
    await api.signUp(email);
    return (await api.logIn(email)).body as { access_token: string; refresh_token: string };
  }
  const refresh = (token: string, headers: Record<string, string> = {}) => api.post('/tokens/refresh', { refresh_token: token }, headers);

  it('stores only a hash of the refresh token', async () => {
    const { refresh_token } = await freshLogin();
    const rows = await api.service.db.query<{ token_hash: string }>('SELECT token_hash FROM refresh_tokens');
    expect(rows.map(r => r.token_hash)).toContain(digest(refresh_token));
    expect(JSON.stringify(rows)).not.toContain(refresh_token);
  });

  it('rotates: each use returns a new pair and spends the old refresh token', async () => {
    const first = await freshLogin();
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(second.body.access_token).not.toBe(first.access_token);
    const third = await refresh(second.body.refresh_token);
    expect(third.status).toBe(200);
  });

  it('revokes the whole family when a spent token is presented again', async () => {
    const first = await freshLogin();
    const second = await refresh(first.refresh_token);
    clock.advanceSeconds(GRACE_SECONDS + 1);
    const replay = await refresh(first.refresh_token);
    expect(replay.status).toBe(400);
    expect(replay.body.error.code).toBe('invalid_grant');
    // The legitimate successor is revoked too: whoever holds the family must log in again.
    const successor = await refresh(second.body.refresh_token);
    expect(successor.status).toBe(400);
  });

  it('leaves other logins of the same user alone when one family is revoked', async () => {
    await api.signUp('two-devices@example.org');
    const laptop = (await api.logIn('two-devices@example.org')).body;
    const phone = (await api.logIn('two-devices@example.org')).body;
    await refresh(laptop.refresh_token);
    clock.advanceSeconds(GRACE_SECONDS + 1);
    expect((await refresh(laptop.refresh_token)).status).toBe(400);
    expect((await refresh(phone.refresh_token)).status).toBe(200);
  });

  it('refuses an expired refresh token', async () => {
    const { refresh_token } = await freshLogin();
    await api.service.db.query(`UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [
      digest(refresh_token),
    ]);
    expect((await refresh(refresh_token)).status).toBe(400);
  });

  it('refuses an unknown token and a missing field with clear errors', async () => {
    const unknown = await refresh('made-up-token');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('invalid_grant');
    const missing = await api.post('/tokens/refresh', {});
    expect(missing.body.error.message).toBe('"refresh_token" must be a string');
  });

  it('logs out: revoking a token ends its family, and unknown tokens are accepted quietly', async () => {
    const first = await freshLogin();
    const second = await refresh(first.refresh_token);
    expect((await api.post('/tokens/revoke', { refresh_token: second.body.refresh_token })).status).toBe(204);
    expect((await refresh(second.body.refresh_token)).status).toBe(400);
    expect((await api.post('/tokens/revoke', { refresh_token: 'never-issued' })).status).toBe(204);
  });

  it('lets one of two concurrent refreshes by the same client succeed and answers the other 409, family intact', async () => {
    const { refresh_token } = await freshLogin();
    const results = await Promise.all([refresh(refresh_token), refresh(refresh_token)]);
    expect(results.map(r => r.status).sort()).toEqual([200, 409]);
    const [winner] = results.filter(r => r.status === 200);
    const [loser] = results.filter(r => r.status === 409);
    expect(loser.body.error.code).toBe('concurrent_refresh');
    expect(loser.body).not.toHaveProperty('refresh_token');
    // The family is still valid: the winner's refresh token works, and so does its successor.
    const next = await refresh(winner.body.refresh_token);
    expect(next.status).toBe(200);
    expect((await refresh(next.body.refresh_token)).status).toBe(200);
  });

  it('answers the same client 409 for a second use inside the grace window, and revokes after it', async () => {
    const first = await freshLogin();
    const second = await refresh(first.refresh_token);
    clock.advanceSeconds(GRACE_SECONDS);
    expect((await refresh(first.refresh_token)).status).toBe(409);
    expect((await refresh(second.body.refresh_token)).status).toBe(200);
    clock.advanceSeconds(1);
    // Now a replay: the family goes, successors included.
    expect((await refresh(first.refresh_token)).status).toBe(400);
    expect((await refresh(second.body.refresh_token)).status).toBe(400);
  });

  it('treats a second use from another client as a replay even inside the grace window', async () => {
    const first = await freshLogin();
    const mine = { 'x-forwarded-for': '203.0.113.7', 'user-agent': 'app/1' };
    const second = await refresh(first.refresh_token, mine);
    const replay = await refresh(first.refresh_token, { ...mine, 'x-forwarded-for': '198.51.100.9' });
    expect(replay.status).toBe(400);
    expect(replay.body.error.code).toBe('invalid_grant');
    expect((await refresh(second.body.refresh_token, mine)).status).toBe(400);
  });
});

import { LoginThrottle } from '../src/domain/login-throttle.js';
import { ManualClock, startAuthApi, type AuthApi } from './support/auth-client.js';

const WRONG = 'not the right password';
const from = (ip: string) => ({ 'x-forwarded-for': ip });

describe('login rate limits', () => {
  const clock = new ManualClock();
  let api: AuthApi;
  let n = 0;
  beforeAll(async () => {
    api = await startAuthApi({}, { clock });
  });
  afterAll(async () => {
    await api?.service.stop();
  });

  async function account() {
    const email = `limits-${++n}@example.org`;
    await api.signUp(email);
    return email;
  }
  const failTimes = async (email: string, times: number, headers = {}) => {
    for (let i = 0; i < times; i++) expect((await api.logIn(email, WRONG, headers)).status).toBe(401);
  };

  it('refuses the sixth login for an email within 15 minutes with 429 and Retry-After, even with the right password', async () => {
    const email = await account();
    await failTimes(email, 5);
    const refused = await api.logIn(email);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('too_many_attempts');
    expect(Number(refused.headers.get('retry-after'))).toBe(900);
    clock.advanceSeconds(600);
    expect(Number((await api.logIn(email)).headers.get('retry-after'))).toBe(300);
    clock.advanceSeconds(300);
    expect((await api.logIn(email)).status).toBe(200);
  });

  it('limits an unknown email exactly like a known one', async () => {
    await failTimes('nobody-here@example.org', 5);
    const refused = await api.logIn('nobody-here@example.org');
    const known = await account();
    await failTimes(known, 5);
    const refusedKnown = await api.logIn(known, WRONG);
    expect(refused.status).toBe(429);
    expect(refusedKnown.status).toBe(429);
    expect(refused.body).toEqual(refusedKnown.body);
  });

  it('counts the email regardless of case, and a successful login clears its failures', async () => {
    const email = await account();
    await failTimes(email.toUpperCase(), 4);
    expect((await api.logIn(email)).status).toBe(200);
    await failTimes(email, 4);
    expect((await api.logIn(email)).status).toBe(200);
  });

  it('counts parallel guesses while they are still being checked', async () => {
    const email = await account();
    const results = await Promise.all(Array.from({ length: 8 }, () => api.logIn(email, WRONG)));
    const statuses = results.map(r => r.status).sort();
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
  });

  it('keeps the counts in PostgreSQL, where every replica sees them', async () => {
    const email = await account();
    await failTimes(email, 5);
    const otherReplica = new LoginThrottle(api.service.db, { maxFailuresPerEmail: 5, maxFailuresPerIp: 20, windowSeconds: 900 }, clock.now);
    await expect(otherReplica.reserve(email, undefined)).rejects.toMatchObject({ status: 429, code: 'too_many_attempts' });
  });
});

describe('login rate limits per client address', () => {
  const clock = new ManualClock();
  let api: AuthApi;
  beforeAll(async () => {
    // A small per-address limit keeps the test quick; the default (20) is checked in settings.test.ts.
    api = await startAuthApi({ LOGIN_MAX_FAILURES_PER_IP: '3' }, { clock });
  });
  afterAll(async () => {
    await api?.service.stop();
  });

  it('refuses an address after its failures across many emails, and only that address', async () => {
    for (const email of ['ip-1@example.org', 'ip-2@example.org', 'ip-3@example.org']) {
      // What the client writes left of the ingress's entry does not change whose attempt it is.
      expect((await api.logIn(email, WRONG, from(`198.51.100.${email.length}, 203.0.113.7`))).status).toBe(401);
    }
    const refused = await api.logIn('ip-4@example.org', WRONG, from('203.0.113.7'));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBe(900);
    expect((await api.logIn('ip-4@example.org', WRONG, from('203.0.113.8'))).status).toBe(401);
    clock.advanceSeconds(900);
    expect((await api.logIn('ip-5@example.org', WRONG, from('203.0.113.7'))).status).toBe(401);
  });
});

describe('the scrypt queue under a burst of logins', () => {
  let api: AuthApi;
  beforeAll(async () => {
    api = await startAuthApi({ PASSWORD_HASH_CONCURRENCY: '1', PASSWORD_HASH_QUEUE: '1' });
  });
  afterAll(async () => {
    await api?.service.stop();
  });

  it('answers 503 busy with Retry-After beyond the queue, without counting it as a failed login', async () => {
    await api.signUp('burst@example.org');
    const results = await Promise.all(Array.from({ length: 4 }, () => api.logIn('burst@example.org')));
    const busy = results.filter(r => r.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    expect(results.filter(r => r.status === 200).length).toBeGreaterThan(0);
    expect(busy[0].body.error.code).toBe('busy');
    expect(busy[0].headers.get('retry-after')).toBe('1');
    expect(await api.service.db.query('SELECT id FROM login_attempts')).toEqual([]);
  });
});

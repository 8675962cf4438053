import type { Clock } from '../../src/domain/clock.js';
import { createHandlers } from '../../src/service.js';
import { startTestService, type TestService } from './harness.js';

export const INTROSPECTION_TOKEN = 'introspection-secret-for-tests';
export const KEYS_ADMIN_TOKEN = 'keys-admin-secret-for-tests-0123456789';

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A started service plus small helpers that speak its HTTP API. */
export interface AuthApi {
  service: TestService;
  post<T = any>(path: string, body: unknown, headers?: Record<string, string>): Promise<Reply<T>>;
  get<T = any>(path: string, headers?: Record<string, string>): Promise<Reply<T>>;
  signUp(email: string, password?: string): Promise<Reply>;
  logIn(email: string, password?: string, headers?: Record<string, string>): Promise<Reply>;
  /** The id of the account with this email (sign-up does not say, so that it cannot reveal which emails exist). */
  userId(email: string): Promise<string>;
}

export const PASSWORD = 'correct horse battery staple';

/** A clock that starts at real time and moves only when the test says so. */
export class ManualClock {
  private current = Date.now();
  readonly now: Clock = () => new Date(this.current);

  advanceSeconds(seconds: number): void {
    this.current += seconds * 1000;
  }
}

export async function startAuthApi(env: Record<string, string> = {}, options: { clock?: ManualClock } = {}): Promise<AuthApi> {
  const clock = options.clock;
  const service = await startTestService({
    env: { INTROSPECTION_TOKEN, KEYS_ADMIN_TOKEN, ...env },
    createHandlers: deps => createHandlers({ ...deps, clock: clock?.now }),
  });
  const call = async (path: string, init: RequestInit): Promise<Reply> => {
    const res = await fetch(`${service.baseUrl}${path}`, init);
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
  const api: AuthApi = {
    service,
    post: (path, body, headers = {}) =>
      call(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } }),
    get: (path, headers = {}) => call(path, { headers }),
    signUp: (email, password = PASSWORD) => api.post('/users', { email, password }),
    logIn: (email, password = PASSWORD, headers = {}) => api.post('/sessions', { email, password }, headers),
    async userId(email) {
      const [row] = await service.db.query<{ id: string }>('SELECT id FROM users WHERE lower(email) = lower($1)', [email]);
      if (!row) throw new Error(`no account for ${email}`);
      return row.id;
    },
  };
  return api;
}

/** The decoded JSON of a JWT's header or payload (no verification). */
export function jwtPart(token: string, index: 0 | 1): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[index], 'base64url').toString('utf8'));
}

import { startTestService, type TestService } from './harness.js';

export const INTROSPECTION_TOKEN = 'introspection-secret-for-tests';

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
  logIn(email: string, password?: string): Promise<Reply>;
}

export const PASSWORD = 'correct horse battery staple';

export async function startAuthApi(env: Record<string, string> = {}): Promise<AuthApi> {
  const service = await startTestService({ env: { INTROSPECTION_TOKEN, ...env } });
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
    logIn: (email, password = PASSWORD) => api.post('/sessions', { email, password }),
  };
  return api;
}

/** The decoded JSON of a JWT's header or payload (no verification). */
export function jwtPart(token: string, index: 0 | 1): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[index], 'base64url').toString('utf8'));
}

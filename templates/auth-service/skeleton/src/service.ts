import {
  HttpError,
  jsonObject,
  stringField,
  type Handlers,
  type HttpRequest,
  type HttpResponse,
  type ServiceDeps as RuntimeDeps,
} from '@paver/service-runtime';
import { bearerToken } from './domain/bearer.js';
import { clientFingerprint, clientIp } from './domain/client.js';
import { systemClock, type Clock } from './domain/clock.js';
import { authorizeIntrospection, introspect } from './domain/introspection.js';
import { TokenInvalidError } from './domain/jwt.js';
import { authorizeKeyRotation, rotationJson } from './domain/key-rotation.js';
import { KeyStore } from './domain/keys.js';
import { LoginThrottle } from './domain/login-throttle.js';
import { PasswordHasher } from './domain/passwords.js';
import { authSettings } from './domain/settings.js';
import { TokenService } from './domain/tokens.js';
import { authenticate, findUser, PASSWORD_MAX, SIGN_UP_ACCEPTED, signUp } from './domain/users.js';
import { BoundedWorkQueue } from './domain/work-queue.js';

// Token responses must never be cached by a proxy or browser (RFC 6749 §5.1).
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

export type ServiceDeps = RuntimeDeps & {
  /** The clock tokens, keys and login limits are measured against. @default the system clock */
  clock?: Clock;
};

/**
 * One handler per operation of openapi.yaml; the runtime routes them, validates each request
 * against its schema first, and serves healthz, readyz and metrics itself.
 */
export function createHandlers(deps: ServiceDeps): Handlers {
  const clock = deps.clock ?? systemClock;
  const settings = authSettings(deps.config);
  const keys = new KeyStore(deps.db, settings, clock);
  const tokens = new TokenService(deps.db, keys, settings, clock);
  const queue = new BoundedWorkQueue({ concurrency: settings.passwordHashConcurrency, queueLength: settings.passwordHashQueue });
  const passwords = new PasswordHasher(queue, deps.metrics.registry);
  const throttle = new LoginThrottle(
    deps.db,
    {
      maxFailuresPerEmail: settings.loginMaxFailuresPerEmail,
      maxFailuresPerIp: settings.loginMaxFailuresPerIp,
      windowSeconds: settings.loginFailureWindowSeconds,
    },
    clock,
  );

  // The schema has checked the body already; these narrow it to the types the domain takes.
  const credentials = (req: HttpRequest) => {
    const body = jsonObject(req.body);
    return { email: stringField(body, 'email', { maxLength: 254 }), password: stringField(body, 'password', { maxLength: PASSWORD_MAX }) };
  };

  return {
    signUp: async req => {
      const { email, password } = credentials(req);
      await signUp(deps.db, passwords, email, password);
      return { status: 202, body: SIGN_UP_ACCEPTED };
    },
    logIn: async req => {
      const { email, password } = credentials(req);
      const ip = clientIp(req.headers, settings.trustedProxyHops);
      const user = await throttle.guard(email, ip, () => authenticate(deps.db, passwords, email, password));
      return { status: 200, body: await tokens.issue(user), headers: NO_STORE };
    },
    refreshTokens: async req => {
      const presented = stringField(jsonObject(req.body), 'refresh_token', { maxLength: 200 });
      const client = clientFingerprint(req.headers, settings.trustedProxyHops);
      return { status: 200, body: await tokens.refresh(presented, client), headers: NO_STORE };
    },
    revokeTokens: async req => {
      await tokens.revoke(stringField(jsonObject(req.body), 'refresh_token', { maxLength: 200 }));
      return { status: 204 };
    },
    introspectToken: async req => {
      authorizeIntrospection(settings, req.headers.authorization);
      const body = jsonObject(req.body);
      const hint = typeof body.token_type_hint === 'string' ? body.token_type_hint : undefined;
      const result = await introspect(tokens, stringField(body, 'token', { maxLength: 8192 }), hint);
      return { status: 200, body: result, headers: NO_STORE };
    },
    getJwks: async () => {
      // The first key is created on first use, so a fresh service publishes a key before issuing any token.
      await keys.signingKey();
      // KeyStore publishes a new key this long before it signs: keep the two in step (one setting).
      const cacheControl = `public, max-age=${settings.jwksMaxAgeSeconds}`;
      return { status: 200, body: { keys: await keys.publishedJwks() }, headers: { 'cache-control': cacheControl } };
    },
    rotateSigningKey: async req => {
      authorizeKeyRotation(settings, req.headers.authorization);
      return { status: 202, body: rotationJson(await keys.rotate()), headers: NO_STORE };
    },
    getCurrentUser: currentUser,
  };

  async function currentUser(req: HttpRequest): Promise<HttpResponse> {
    const token = bearerToken(req.headers.authorization);
    if (!token) throw bearerError('missing bearer token');
    let sub: string;
    try {
      sub = (await tokens.verifyAccessToken(token)).sub;
    } catch (error) {
      if (error instanceof TokenInvalidError) throw bearerError('the access token is invalid or expired');
      throw error;
    }
    const user = await findUser(deps.db, sub);
    if (!user) throw bearerError('the account no longer exists');
    return { status: 200, body: user };
  }
}

// RFC 6750 §3: a 401 for a bearer-protected resource says why in WWW-Authenticate.
function bearerError(message: string): HttpError {
  return new HttpError(401, 'invalid_token', message, { 'www-authenticate': 'Bearer error="invalid_token"' });
}

import { ConfigError, intSetting, type RuntimeConfig } from '@paver/service-runtime';

/** The auth domain's own settings, read once from the service's environment. */
export interface AuthSettings {
  /** `TOKEN_ISSUER`: the `iss` of every token. @default `urn:paver:<service name>` */
  readonly issuer: string;
  /** `TOKEN_AUDIENCE`: the `aud` of access tokens. @default the service name */
  readonly audience: string;
  /** `ACCESS_TOKEN_TTL_SECONDS` @default 900 (15 minutes) */
  readonly accessTokenTtlSeconds: number;
  /**
   * `ACCESS_TOKEN_SCOPES`: the space-separated scopes every access token carries in its `scope`
   * claim (RFC 9068), which resource servers check per operation (`billing:read
   * notifications:read`). Unset: tokens carry no scope claim and prove only who the user is.
   */
  readonly accessTokenScopes: readonly string[];
  /** `REFRESH_TOKEN_TTL_SECONDS` @default 2592000 (30 days) */
  readonly refreshTokenTtlSeconds: number;
  /**
   * `REFRESH_REUSE_GRACE_SECONDS`: how long after a refresh token was exchanged the same client
   * may present it again (a concurrent refresh) and get a 409 instead of its family revoked. @default 10
   */
  readonly refreshReuseGraceSeconds: number;
  /**
   * `INTROSPECTION_TOKEN`: the bearer token resource servers present to /introspect (RFC 7662
   * requires the endpoint to be protected). Unset: introspection refuses every caller.
   */
  readonly introspectionToken: string | undefined;
  /**
   * `KEYS_ADMIN_TOKEN`: the bearer token the platform presents to POST /keys/rotate. Required when
   * `NODE_ENV=production` (the image sets it); elsewhere unset means rotation refuses every caller.
   */
  readonly keysAdminToken: string | undefined;
  /**
   * `JWKS_MAX_AGE_SECONDS`: the JWKS response's `Cache-Control: max-age`. A rotated-in key is
   * published this long before it signs, so every verifier's cached JWKS knows it. @default 300
   */
  readonly jwksMaxAgeSeconds: number;
  /** `LOGIN_MAX_FAILURES_PER_EMAIL` within the window, then 429. @default 5 */
  readonly loginMaxFailuresPerEmail: number;
  /** `LOGIN_MAX_FAILURES_PER_IP` within the window, then 429. @default 20 */
  readonly loginMaxFailuresPerIp: number;
  /** `LOGIN_FAILURE_WINDOW_SECONDS`: the sliding window failures are counted in. @default 900 (15 minutes) */
  readonly loginFailureWindowSeconds: number;
  /**
   * `TRUSTED_PROXY_HOPS`: proxies in front of the service that append to X-Forwarded-For (the
   * ingress). 0: the client address is unknown and only the per-email login limit applies. @default 1
   */
  readonly trustedProxyHops: number;
  /** `PASSWORD_HASH_CONCURRENCY`: scrypt computations at once (libuv's pool has 4 threads). @default 2 */
  readonly passwordHashConcurrency: number;
  /** `PASSWORD_HASH_QUEUE`: computations waiting for a slot; beyond it, 503 `busy`. @default 16 */
  readonly passwordHashQueue: number;
}

// An admin credential short enough to guess is no credential.
const MIN_ADMIN_TOKEN_LENGTH = 32;

export function authSettings(config: RuntimeConfig): AuthSettings {
  const { env } = config;
  return {
    issuer: env.TOKEN_ISSUER || `urn:paver:${config.serviceName}`,
    audience: env.TOKEN_AUDIENCE || config.serviceName,
    accessTokenTtlSeconds: intSetting(env, 'ACCESS_TOKEN_TTL_SECONDS', 900, { min: 30, max: 86_400 }),
    accessTokenScopes: scopeList(env.ACCESS_TOKEN_SCOPES),
    refreshTokenTtlSeconds: intSetting(env, 'REFRESH_TOKEN_TTL_SECONDS', 30 * 86_400, { min: 60, max: 365 * 86_400 }),
    refreshReuseGraceSeconds: intSetting(env, 'REFRESH_REUSE_GRACE_SECONDS', 10, { min: 0, max: 60 }),
    introspectionToken: env.INTROSPECTION_TOKEN || undefined,
    keysAdminToken: keysAdminToken(env),
    jwksMaxAgeSeconds: intSetting(env, 'JWKS_MAX_AGE_SECONDS', 300, { min: 0, max: 86_400 }),
    loginMaxFailuresPerEmail: intSetting(env, 'LOGIN_MAX_FAILURES_PER_EMAIL', 5, { min: 1, max: 1000 }),
    loginMaxFailuresPerIp: intSetting(env, 'LOGIN_MAX_FAILURES_PER_IP', 20, { min: 1, max: 100_000 }),
    loginFailureWindowSeconds: intSetting(env, 'LOGIN_FAILURE_WINDOW_SECONDS', 900, { min: 1, max: 86_400 }),
    trustedProxyHops: intSetting(env, 'TRUSTED_PROXY_HOPS', 1, { min: 0, max: 10 }),
    passwordHashConcurrency: intSetting(env, 'PASSWORD_HASH_CONCURRENCY', 2, { min: 1, max: 64 }),
    passwordHashQueue: intSetting(env, 'PASSWORD_HASH_QUEUE', 16, { min: 0, max: 10_000 }),
  };
}

// RFC 6749 §3.3: a scope token is printable ASCII without space, `"` or `\`.
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

function scopeList(value: string | undefined): string[] {
  const scopes = (value ?? '').split(' ').filter(Boolean);
  const bad = scopes.find(scope => !SCOPE_TOKEN.test(scope));
  if (bad !== undefined) {
    throw new ConfigError(`ACCESS_TOKEN_SCOPES must be scope names separated by spaces; ${JSON.stringify(bad)} is not one`);
  }
  return [...new Set(scopes)];
}

function keysAdminToken(env: RuntimeConfig['env']): string | undefined {
  const token = env.KEYS_ADMIN_TOKEN || undefined;
  if (!token && env.NODE_ENV === 'production') {
    throw new ConfigError('KEYS_ADMIN_TOKEN must be set when NODE_ENV=production: POST /keys/rotate is protected by it');
  }
  if (token && token.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new ConfigError(`KEYS_ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters long`);
  }
  return token;
}

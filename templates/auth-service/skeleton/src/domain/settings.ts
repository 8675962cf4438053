import { intSetting, type ServiceConfig } from '../platform/config.js';

/** The auth domain's own settings, read once from the service's environment. */
export interface AuthSettings {
  /** `TOKEN_ISSUER`: the `iss` of every token. @default `urn:paver:<service name>` */
  readonly issuer: string;
  /** `TOKEN_AUDIENCE`: the `aud` of access tokens. @default the service name */
  readonly audience: string;
  /** `ACCESS_TOKEN_TTL_SECONDS` @default 900 (15 minutes) */
  readonly accessTokenTtlSeconds: number;
  /** `REFRESH_TOKEN_TTL_SECONDS` @default 2592000 (30 days) */
  readonly refreshTokenTtlSeconds: number;
  /**
   * `INTROSPECTION_TOKEN`: the bearer token resource servers present to /introspect (RFC 7662
   * requires the endpoint to be protected). Unset: introspection refuses every caller.
   */
  readonly introspectionToken: string | undefined;
}

export function authSettings(config: ServiceConfig): AuthSettings {
  const { env } = config;
  return {
    issuer: env.TOKEN_ISSUER || `urn:paver:${config.serviceName}`,
    audience: env.TOKEN_AUDIENCE || config.serviceName,
    accessTokenTtlSeconds: intSetting(env, 'ACCESS_TOKEN_TTL_SECONDS', 900, { min: 30, max: 86_400 }),
    refreshTokenTtlSeconds: intSetting(env, 'REFRESH_TOKEN_TTL_SECONDS', 30 * 86_400, { min: 60, max: 365 * 86_400 }),
    introspectionToken: env.INTROSPECTION_TOKEN || undefined,
  };
}

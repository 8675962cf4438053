import { HttpError } from '@paver/service-runtime';
import { presentsSecret } from './bearer.js';
import { TokenInvalidError } from './jwt.js';
import type { AuthSettings } from './settings.js';
import type { TokenService } from './tokens.js';

/** RFC 7662 §2.2: `active` always; the rest only for an active token. */
export type IntrospectionResponse =
  | { active: false }
  | {
      active: true;
      token_type: 'access_token' | 'refresh_token';
      sub: string;
      username: string;
      exp: number;
      iat?: number;
      iss?: string;
      aud?: string;
      jti?: string;
    };

/** RFC 7662 §2.1 requires callers to authenticate; they present the configured bearer token. */
export function authorizeIntrospection(settings: AuthSettings, authorization: string | undefined): void {
  if (!presentsSecret(authorization, settings.introspectionToken)) {
    throw new HttpError(401, 'unauthorized', 'introspection needs the Bearer token configured as INTROSPECTION_TOKEN');
  }
}

export async function introspect(
  tokens: TokenService,
  token: string,
  hint: string | undefined,
): Promise<IntrospectionResponse> {
  // A JWT has two dots; our refresh tokens have none. The hint only orders the attempts (§2.1).
  const looksLikeJwt = token.split('.').length === 3;
  if (looksLikeJwt || hint === 'access_token') {
    try {
      const claims = await tokens.verifyAccessToken(token);
      return {
        active: true,
        token_type: 'access_token',
        sub: claims.sub,
        username: claims.email,
        exp: claims.exp,
        iat: claims.iat,
        iss: claims.iss,
        aud: claims.aud,
        jti: claims.jti,
      };
    } catch (error) {
      if (!(error instanceof TokenInvalidError)) throw error;
      if (looksLikeJwt) return { active: false };
    }
  }
  const refresh = await tokens.activeRefreshToken(token);
  if (!refresh) return { active: false };
  return {
    active: true,
    token_type: 'refresh_token',
    sub: refresh.user_id,
    username: refresh.email,
    exp: Math.floor(refresh.expires_at.getTime() / 1000),
  };
}

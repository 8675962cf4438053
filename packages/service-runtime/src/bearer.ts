import type { FastifyRequest } from 'fastify';
import {
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
} from 'jose';
import type { Env } from './config.js';
import { ConfigError, HttpError } from './errors.js';
import { METHODS, type OpenApiDocument } from './openapi.js';

/**
 * The extension that hands a security scheme to the runtime, the way Google's Cloud Endpoints
 * reads `x-google-jwks_uri`: a `type: http, scheme: bearer` scheme carrying
 * `x-paver-verify: jwks` is verified here, against the JWKS of `AUTH_JWKS_URL`. Schemes without
 * it stay the handlers' business, as in 1.0.
 */
export const VERIFY_EXTENSION = 'x-paver-verify';

/** Who presented a verified bearer token: the handler's `req.principal`. */
export interface Principal {
  /** The token's `sub`. */
  subject: string;
  /** The token's `scope` claim, split on spaces (RFC 9068). */
  scopes: string[];
  claims: JWTPayload;
}

/** Where tokens are verified against: read from the environment when a scheme needs them. */
export interface BearerSettings {
  /** `AUTH_JWKS_URL`: the issuer's JSON Web Key Set (the auth service's `/.well-known/jwks.json`). */
  jwksUrl: URL;
  /** `AUTH_ISSUER`: the `iss` every accepted token carries. */
  issuer: string;
  /** `AUTH_AUDIENCE`: the `aud` every accepted token names. @default the service's name */
  audience: string;
}

type SecurityHandler = (
  request: FastifyRequest,
  reply: unknown,
  scopes: string[],
) => Promise<void>;

declare module 'fastify' {
  interface FastifyRequest {
    paverPrincipal?: Principal;
  }
}

type SecuritySchemes = Record<string, Record<string, unknown> | undefined>;

const securitySchemes = (document: OpenApiDocument): SecuritySchemes =>
  (document.components as { securitySchemes?: SecuritySchemes } | undefined)
    ?.securitySchemes ?? {};

/** The names of the document's security schemes the runtime verifies. */
export function verifiedSchemes(document: OpenApiDocument): string[] {
  return Object.entries(securitySchemes(document))
    .filter(([, scheme]) => scheme?.[VERIFY_EXTENSION] === 'jwks')
    .map(([name]) => name);
}

/** An operation as the runtime guards it: `scopes` undefined when it needs no verified token. */
export interface GuardedOperation {
  operationId: string;
  method: string;
  /** As documented: `/invoices/{id}`. */
  path: string;
  /** Every scope one of its verified requirements asks for; [] for a token with any scope. */
  scopes: string[] | undefined;
}

/**
 * Each operation of the document and what the runtime asks of its callers: its own `security`,
 * or the document's when it declares none. A requirement naming a scheme the runtime does not
 * verify leaves that operation to its handler (scopes undefined).
 */
export function guardedOperations(
  document: OpenApiDocument,
): GuardedOperation[] {
  const verified = new Set(verifiedSchemes(document));
  const guarded: GuardedOperation[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS.filter(m => m in item)) {
      const operation = item[method] as {
        operationId?: string;
        security?: Record<string, string[]>[];
      };
      const requirements = (operation.security ??
        document.security ??
        []) as Record<string, string[]>[];
      const verifiedOnly =
        requirements.length > 0 &&
        requirements.every(r => Object.keys(r).every(s => verified.has(s)));
      const scopes = requirements.flatMap(r => Object.values(r).flat());
      guarded.push({
        operationId: operation.operationId ?? `${method} ${path}`,
        method: method.toUpperCase(),
        path,
        scopes: verifiedOnly ? [...new Set(scopes)] : undefined,
      });
    }
  }
  return guarded;
}

/** `AUTH_*`, or a ConfigError naming the first one missing or malformed. */
export function bearerSettings(env: Env, serviceName: string): BearerSettings {
  const jwks = env.AUTH_JWKS_URL;
  if (!jwks) throw new ConfigError(bearerMissing('AUTH_JWKS_URL'));
  const jwksUrl = URL.canParse(jwks) ? new URL(jwks) : undefined;
  if (!jwksUrl || !/^https?:$/.test(jwksUrl.protocol)) {
    throw new ConfigError(
      `AUTH_JWKS_URL must be an http(s) URL, got ${JSON.stringify(jwks)}`,
    );
  }
  if (!env.AUTH_ISSUER) throw new ConfigError(bearerMissing('AUTH_ISSUER'));
  return {
    jwksUrl,
    issuer: env.AUTH_ISSUER,
    audience: env.AUTH_AUDIENCE || serviceName,
  };
}

const bearerMissing = (name: string) =>
  `${name} must be set: openapi.yaml has operations that require a bearer token verified by the runtime (${VERIFY_EXTENSION}: jwks)`;

/**
 * fastify-openapi-glue's `securityHandlers` for a document: a JWKS verifier for each verified
 * scheme and a pass-through for the others (their handlers check them, as in 1.0). Undefined
 * when the document has no verified scheme, so the routes are exactly 1.0's.
 */
export function securityHandlers(
  document: OpenApiDocument,
  env: Env,
  serviceName: string,
): Record<string, SecurityHandler> | undefined {
  const verified = verifiedSchemes(document);
  if (verified.length === 0) return undefined;
  const verify = jwksVerifier(bearerSettings(env, serviceName));
  const handlers: Record<string, SecurityHandler> = {};
  for (const name of Object.keys(securitySchemes(document))) {
    handlers[name] = verified.includes(name) ? verify : async () => {};
  }
  return handlers;
}

function jwksVerifier(settings: BearerSettings): SecurityHandler {
  // jose caches the key set, refetches it when a token names an unknown kid (a rotated-in key),
  // and at most every 30 s: a stream of forged kids cannot hammer the issuer.
  const keys = createRemoteJWKSet(settings.jwksUrl);
  return async (request, _reply, required) => {
    const token = /^Bearer ([^\s]+)$/i.exec(
      request.headers.authorization ?? '',
    )?.[1];
    if (!token) {
      // RFC 6750: a request without credentials gets the bare challenge, no error code.
      throw new HttpError(401, 'unauthorized', 'a bearer token is required', {
        'www-authenticate': 'Bearer',
      });
    }
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, keys, {
        issuer: settings.issuer,
        audience: settings.audience,
        clockTolerance: 30,
      }));
    } catch (error) {
      throw verificationFailure(error);
    }
    const scopes =
      typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
    const missing = required.filter(scope => !scopes.includes(scope));
    if (missing.length > 0) throw insufficientScope(required, missing);
    request.paverPrincipal = { subject: claims.sub ?? '', scopes, claims };
  };
}

/**
 * Whether verification failed on the issuer's side: its key set could not be fetched (a network
 * error, a timeout, an answer other than 200, a body that is not JSON: jose's bare JOSEError) or
 * is not a key set. Every other jose error is about the token.
 */
function issuerUnavailable(error: unknown): boolean {
  return (
    !(error instanceof joseErrors.JOSEError) ||
    error.constructor === joseErrors.JOSEError ||
    error instanceof joseErrors.JWKSTimeout ||
    error instanceof joseErrors.JWKSInvalid
  );
}

// What the caller is told: enough to fix its request, nothing about the keys. A key set that
// cannot be had is the service's trouble, not a bad token: 503, so clients retry.
function verificationFailure(error: unknown): HttpError {
  if (issuerUnavailable(error)) {
    return new HttpError(
      503,
      'auth_unavailable',
      "the token issuer's keys cannot be fetched; retry later",
      { 'retry-after': '5' },
    );
  }
  if (error instanceof joseErrors.JWTExpired) {
    return unauthorized('the token has expired');
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return unauthorized(`the token's ${error.claim} claim is not accepted`);
  }
  if (error instanceof joseErrors.JWKSNoMatchingKey) {
    return unauthorized(
      'the token is signed with a key the issuer does not publish',
    );
  }
  return unauthorized('the token is not a valid signed JWT');
}

const quoted = (text: string) => text.replace(/["\\]/g, '');

function unauthorized(message: string): HttpError {
  return new HttpError(401, 'unauthorized', message, {
    'www-authenticate': `Bearer error="invalid_token", error_description="${quoted(
      message,
    )}"`,
  });
}

function insufficientScope(required: string[], missing: string[]): HttpError {
  return new HttpError(
    403,
    'insufficient_scope',
    `the token lacks the scope ${missing.join(', ')}`,
    {
      'www-authenticate': `Bearer error="insufficient_scope", scope="${quoted(
        required.join(' '),
      )}"`,
    },
  );
}

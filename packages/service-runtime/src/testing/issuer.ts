import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
} from 'jose';
import { guardedOperations } from '../bearer.js';
import type { OpenApiDocument } from '../openapi.js';

export interface TokenOptions {
  /** The `scope` claim. @default every scope the service's openapi.yaml asks for */
  scopes?: string[];
  /** @default the service's AUTH_AUDIENCE */
  audience?: string;
  /** @default 'test-user' */
  subject?: string;
  /** Seconds from now; negative for a token that has already expired. @default 3600 */
  expiresInSeconds?: number;
  /** Sign with a key the JWKS does not publish (a forged or retired key). @default false */
  unpublishedKey?: boolean;
}

/**
 * A token issuer for tests: an RS256 key pair, its JWKS served over HTTP on a free port, and
 * tokens minted the way the auth service mints them. It speaks what the runtime verifies in
 * production, so a test exercises the real verification path.
 */
export interface TestIssuer {
  readonly issuer: string;
  readonly jwksUrl: string;
  token(options?: TokenOptions): Promise<string>;
  close(): Promise<void>;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function signingKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = randomUUID();
  return {
    kid,
    privateKey,
    jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
  };
}

/** Starts an issuer whose tokens default to `audience` and `defaultScopes`. */
export async function startTestIssuer(
  audience: string,
  defaultScopes: string[] = [],
): Promise<TestIssuer> {
  const [published, unpublished] = await Promise.all([
    signingKey(),
    signingKey(),
  ]);
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [published.jwk] }));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  return {
    issuer,
    jwksUrl: `${issuer}/.well-known/jwks.json`,
    async token(options = {}) {
      const key = options.unpublishedKey ? unpublished : published;
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        scope: (options.scopes ?? defaultScopes).join(' '),
      })
        .setProtectedHeader({ alg: 'RS256', kid: key.kid })
        .setIssuer(issuer)
        .setAudience(options.audience ?? audience)
        .setSubject(options.subject ?? 'test-user')
        .setIssuedAt(now)
        .setExpirationTime(now + (options.expiresInSeconds ?? 3600))
        .sign(key.privateKey);
    },
    close: () => closeServer(server),
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise(resolve => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** Every scope an operation of the document asks of a scheme the runtime verifies. */
export function requestedScopes(document: OpenApiDocument): string[] {
  const scopes = guardedOperations(document).flatMap(o => o.scopes ?? []);
  return [...new Set(scopes)].sort();
}

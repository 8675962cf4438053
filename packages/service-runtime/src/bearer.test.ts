import { guardedService } from './__fixtures__/guarded/service.js';
import { guardedOperations } from './bearer.js';
import { readOpenApi } from './openapi.js';
import { ConfigError } from './errors.js';
import { startService } from './service.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  checkGuardedOperations,
  checkServiceContract,
  freePort,
  startTestIssuer,
  startTestService,
  type TestService,
  type TokenOptions,
} from './testing/index.js';

describe('operations behind bearer tokens the runtime verifies (x-paver-verify: jwks)', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService(guardedService);
  });
  afterAll(async () => {
    await service?.stop();
  });

  const call = (path: string, authorization?: string, init: RequestInit = {}) =>
    fetch(`${service.baseUrl}${path}`, {
      ...init,
      headers: {
        ...(authorization ? { authorization } : {}),
        ...(init.headers as Record<string, string>),
      },
    });
  const bearer = async (options: TokenOptions) =>
    `Bearer ${await service.issuer!.token(options)}`;
  const errorOf = async (res: Response) =>
    ((await res.json()) as { error: { code: string; message: string } }).error;

  it('hands the handler the verified subject and scopes', async () => {
    const res = await call('/entries', service.authorization);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      subject: 'test-user',
      scopes: ['ledger:read', 'ledger:write'],
    });
  });

  it('answers 401 with a bare Bearer challenge when no token is sent', async () => {
    const res = await call('/entries');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await errorOf(res)).toEqual({
      code: 'unauthorized',
      message: 'a bearer token is required',
    });
  });

  it('authenticates before validating: an anonymous caller learns nothing of the schema', async () => {
    const res = await call('/entries', undefined, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 'not a number' }),
    });
    expect(res.status).toBe(401);
  });

  it.each([
    ['expired', { expiresInSeconds: -120 }, 'the token has expired'],
    [
      'for another audience',
      { audience: 'someone-else' },
      "the token's aud claim is not accepted",
    ],
    [
      'signed with a key the JWKS does not publish',
      { unpublishedKey: true },
      'the token is signed with a key the issuer does not publish',
    ],
  ])('answers 401 invalid_token to a token %s', async (_, options, message) => {
    const res = await call('/entries', await bearer(options));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(
      /^Bearer error="invalid_token"/,
    );
    expect(await errorOf(res)).toEqual({ code: 'unauthorized', message });
  });

  it('answers 401 to a string that is not a JWT', async () => {
    const res = await call('/entries', 'Bearer not-a-jwt');
    expect(res.status).toBe(401);
    expect((await errorOf(res)).message).toBe(
      'the token is not a valid signed JWT',
    );
  });

  it("answers 403 insufficient_scope naming the operation's scopes", async () => {
    const res = await call(
      '/entries',
      await bearer({ scopes: ['ledger:read'] }),
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ amount: 5 }),
      },
    );
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer error="insufficient_scope", scope="ledger:write"',
    );
    expect(await errorOf(res)).toEqual({
      code: 'insufficient_scope',
      message: 'the token lacks the scope ledger:write',
    });
  });

  it('applies the document-wide requirement where an operation declares none, and none where it declares []', async () => {
    expect((await call('/entries', await bearer({ scopes: [] }))).status).toBe(
      403,
    );
    expect((await call('/healthz')).status).toBe(200);
    expect((await call('/metrics')).status).toBe(200);
  });

  it('leaves a scheme without the extension to the handler, as 1.0 did', async () => {
    expect((await call('/legacy', 'Bearer shared')).status).toBe(200);
    expect((await call('/legacy', 'Bearer wrong')).status).toBe(401);
  });
});

describe('an issuer whose keys cannot be had', () => {
  /** A JWKS endpoint that answers `status` with `body`. */
  async function brokenJwks(status: number, body: string) {
    const server = createServer((_req, res) => res.writeHead(status).end(body));
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${
        (server.address() as AddressInfo).port
      }/jwks.json`,
      close: () => new Promise<void>(resolve => server.close(() => resolve())),
    };
  }

  it.each([
    ['nobody listens', undefined],
    ['it answers 500', [500, 'upstream down']],
    [
      'it answers something that is not JSON',
      [200, '<html>maintenance</html>'],
    ],
    ['it answers JSON that is not a key set', [200, '{"keys": "none"}']],
  ] as const)(
    'answers 503 with Retry-After when %s: the token may be fine, the service cannot tell yet',
    async (_, answer) => {
      const issuer = await startTestIssuer('guarded-service');
      const broken = answer
        ? await brokenJwks(answer[0], answer[1])
        : undefined;
      const service = await startTestService(guardedService, {
        env: {
          AUTH_JWKS_URL:
            broken?.url ?? `http://127.0.0.1:${await freePort()}/jwks.json`,
          AUTH_ISSUER: issuer.issuer,
        },
      });
      try {
        const res = await fetch(`${service.baseUrl}/entries`, {
          headers: { authorization: `Bearer ${await issuer.token()}` },
        });
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toBe('5');
        expect(
          ((await res.json()) as { error: { code: string } }).error.code,
        ).toBe('auth_unavailable');
      } finally {
        await service.stop();
        await issuer.close();
        await broken?.close();
      }
    },
  );
});

describe('checkGuardedOperations', () => {
  it('finds no problem with a service on the runtime', async () => {
    const service = await startTestService(guardedService);
    try {
      expect(await checkGuardedOperations(service, guardedService)).toEqual([]);
    } finally {
      await service.stop();
    }
  });

  it('names each operation that lets a caller through', async () => {
    const open = createServer((_req, res) => res.end('{}'));
    await new Promise<void>(resolve => open.listen(0, '127.0.0.1', resolve));
    const issuer = await startTestIssuer('guarded-service');
    try {
      const baseUrl = `http://127.0.0.1:${
        (open.address() as AddressInfo).port
      }`;
      expect(
        await checkGuardedOperations({ baseUrl, issuer }, guardedService),
      ).toEqual([
        'GET /entries: without a token answered 200',
        'GET /entries: a token without ledger:read answered 200',
        'POST /entries: without a token answered 200',
        'POST /entries: a token without ledger:write answered 200',
      ]);
    } finally {
      open.close();
      await issuer.close();
    }
  });
});

describe('guardedOperations', () => {
  it("lists each operation with the scopes the runtime asks for, the document's default where it declares none", () => {
    const document = readOpenApi(
      new URL('./__fixtures__/guarded/openapi.yaml', import.meta.url).pathname,
    );
    const scopes = Object.fromEntries(
      guardedOperations(document).map(o => [o.operationId, o.scopes]),
    );
    expect(scopes).toEqual({
      healthz: undefined,
      readyz: undefined,
      metrics: undefined,
      listEntries: ['ledger:read'],
      addEntry: ['ledger:write'],
      legacy: undefined,
    });
  });
});

describe('bearer settings', () => {
  const env = {
    DATABASE_URL: 'postgres://127.0.0.1:1/none',
    LOG_LEVEL: 'silent',
    PORT: '0',
  };

  it.each([
    [{}, /^AUTH_JWKS_URL must be set: openapi.yaml has operations/],
    [
      { AUTH_JWKS_URL: 'file:///etc/keys.json' },
      /^AUTH_JWKS_URL must be an http\(s\) URL, got "file:\/\/\/etc\/keys.json"/,
    ],
    [
      { AUTH_JWKS_URL: 'https://auth.test/jwks.json' },
      /^AUTH_ISSUER must be set/,
    ],
  ])(
    'refuses to start without them, naming the variable (%o)',
    async (extra, message) => {
      const start = startService(guardedService, { ...env, ...extra });
      await expect(start).rejects.toThrow(ConfigError);
      await expect(start).rejects.toThrow(message);
    },
  );

  it('the contract check passes without them: nothing is fetched until a request', async () => {
    await expect(checkServiceContract(guardedService)).resolves.toBeUndefined();
  });
});

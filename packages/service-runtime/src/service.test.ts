import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { releaseWaiting, probeService } from './__fixtures__/probe/service.js';
import { ConfigError } from './errors.js';
import type { ServiceDefinition } from './service.js';
import { startTestService, type TestService } from './testing/index.js';

describe('a service on the runtime', () => {
  let service: TestService;
  const logLines: string[] = [];

  beforeAll(async () => {
    service = await startTestService(probeService, {
      env: {
        BODY_LIMIT_BYTES: '1024',
        DATABASE_POOL_SIZE: '2',
        DATABASE_STATEMENT_TIMEOUT_MS: '300',
      },
      interruptibleDatabase: true,
      writeLog: line => logLines.push(line),
    });
  });
  afterAll(async () => {
    await service?.stop();
  });

  const url = (path: string) => `${service.baseUrl}${path}`;
  const post = (path: string, body: string, type = 'application/json') =>
    fetch(url(path), {
      method: 'POST',
      body,
      headers: { 'content-type': type },
    });
  const errorOf = async (res: Response) =>
    ((await res.json()) as { error: { code: string; message: string } }).error;

  describe('routes from openapi.yaml', () => {
    it('serves each operation at its documented path and method, with typed path parameters', async () => {
      expect(
        (await post('/items', JSON.stringify({ id: 7, name: 'seven' }))).status,
      ).toBe(201);
      const res = await fetch(url('/items/7'));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ id: 7, name: 'seven' });
    });

    it('answers 404 with the error shape for a path the document does not have', async () => {
      const res = await fetch(url('/nowhere'));
      expect(res.status).toBe(404);
      expect(await errorOf(res)).toEqual({
        code: 'not_found',
        message: 'no route for /nowhere',
      });
    });

    it('answers 405 with an Allow header for a documented path and another method', async () => {
      const res = await fetch(url('/items/7'), { method: 'DELETE' });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET');
      expect((await errorOf(res)).code).toBe('method_not_allowed');
    });
  });

  describe('request validation', () => {
    it('answers 400 naming the body field that breaks the schema', async () => {
      const res = await post('/items', JSON.stringify({ id: 8, name: '' }));
      expect(res.status).toBe(400);
      const error = await errorOf(res);
      expect(error.code).toBe('invalid_body');
      expect(error.message).toMatch(/name/);
    });

    it('does not coerce body values: a string where an integer is declared is a 400', async () => {
      const res = await post(
        '/items',
        JSON.stringify({ id: '9', name: 'nine' }),
      );
      expect(res.status).toBe(400);
      expect((await errorOf(res)).message).toMatch(/id/);
    });

    it('refuses properties the schema does not allow', async () => {
      const res = await post(
        '/items',
        JSON.stringify({ id: 10, name: 'ten', colour: 'red' }),
      );
      expect(res.status).toBe(400);
      expect((await errorOf(res)).message).toMatch(/additional/);
    });

    it('answers 400 naming a path parameter outside its schema', async () => {
      const res = await fetch(url('/items/0'));
      expect(res.status).toBe(400);
      const error = await errorOf(res);
      expect(error.code).toBe('invalid_path');
      expect(error.message).toMatch(/id/);
    });

    it('answers 400 for a body that is not JSON and 415 for one that is not declared as JSON', async () => {
      const bad = await post('/items', '{"id":');
      expect(bad.status).toBe(400);
      expect((await errorOf(bad)).code).toBe('invalid_json');
      const text = await post('/items', 'id=1', 'text/plain');
      expect(text.status).toBe(415);
      expect((await errorOf(text)).code).toBe('unsupported_media_type');
    });

    it('answers 413 for a body over BODY_LIMIT_BYTES, chunked or not', async () => {
      const big = JSON.stringify({ id: 11, name: 'x'.repeat(2000) });
      expect((await post('/items', big)).status).toBe(413);
      const chunked = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(big));
          controller.close();
        },
      });
      const res = await fetch(url('/items'), {
        method: 'POST',
        body: chunked,
        headers: { 'content-type': 'application/json' },
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(413);
      expect((await errorOf(res)).code).toBe('payload_too_large');
    });

    describe('in the words and codes the schema gives', () => {
      const keyed = (
        body: unknown,
        headers: Record<string, string> = { 'request-key': 'k1' },
      ) =>
        fetch(url('/keyed'), {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { 'content-type': 'application/json', ...headers },
        });

      it('finds a header declared in mixed case, and names a missing one by its x-error-code', async () => {
        expect((await keyed({ secret: 'long enough' })).status).toBe(200);
        const missing = await keyed({ secret: 'long enough' }, {});
        expect(missing.status).toBe(400);
        expect(await errorOf(missing)).toEqual({
          code: 'request_key_required',
          message: 'the Request-Key header is required',
        });
        const long = await keyed(
          { secret: 'long enough' },
          { 'request-key': 'k'.repeat(11) },
        );
        expect((await errorOf(long)).code).toBe('invalid_request_key');
      });

      it("uses the schema's x-error-message and x-error-code for a value that breaks a rule", async () => {
        const res = await keyed({ secret: 'short' });
        expect(await errorOf(res)).toEqual({
          code: 'weak_secret',
          message: '"secret" must be at least 8 characters long',
        });
      });

      it('quotes a nested field by its path, and a missing one as what it must be', async () => {
        const nested = await keyed({
          secret: 'long enough',
          tags: ['ok', 'toolong'],
        });
        expect(await errorOf(nested)).toEqual({
          code: 'invalid_body',
          message: '"tags[1]" must NOT have more than 3 characters',
        });
        // A plain x-error-code stands for every failure of its value, absence included.
        const missing = await keyed({});
        expect(await errorOf(missing)).toEqual({
          code: 'weak_secret',
          message: '"secret" must be a string',
        });
      });
    });

    it('gives the handler the body bytes as received', async () => {
      const body = '{ "spaced" :  true }';
      const res = await post('/webhook', body);
      expect(await res.json()).toEqual({ bytes: Buffer.byteLength(body) });
    });
  });

  describe('response validation', () => {
    it('fails a handler whose body is outside the documented schema with a 500 naming the field', async () => {
      const res = await fetch(url('/broken-response'));
      expect(res.status).toBe(500);
      const error = await errorOf(res);
      expect(error.code).toBe('response_invalid');
      expect(error.message).toMatch(/id|name/);
    });
  });

  describe('errors', () => {
    it('passes a handler HttpError through with its status and code', async () => {
      const res = await fetch(url('/teapot'));
      expect(res.status).toBe(418);
      expect(await errorOf(res)).toEqual({
        code: 'teapot',
        message: 'short and stout',
      });
    });

    it('hides the cause of an unexpected error behind a 500 and logs it', async () => {
      const res = await fetch(url('/crash'));
      expect(res.status).toBe(500);
      expect(await res.text()).not.toContain('secret');
      expect(
        logLines.some(
          line =>
            line.includes('request failed') &&
            line.includes('secret internals'),
        ),
      ).toBe(true);
    });
  });

  describe('metrics', () => {
    it('exposes process metrics and RED metrics per operation in the Prometheus text format', async () => {
      await fetch(url('/items/7'));
      const res = await fetch(url('/metrics'));
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await res.text();
      const families = parsePrometheusTextFormat(text);
      const byName = new Map(families.map(f => [f.name, f]));
      expect(byName.get('process_cpu_seconds_total')?.type).toBe('COUNTER');
      const requests = byName.get('http_requests_total');
      const served = requests?.metrics.find(
        m =>
          m.labels?.operation === 'getItem' &&
          m.labels?.status === '200' &&
          m.labels?.route === '/items/:id',
      );
      expect(
        Number((served as { value: string }).value),
      ).toBeGreaterThanOrEqual(1);
      const duration = byName.get('http_request_duration_seconds');
      expect(duration?.type).toBe('HISTOGRAM');
      expect(duration?.metrics.length).toBeGreaterThan(0);
      // The parser keeps no labels on histogram series; the _count line carries them.
      expect(text).toMatch(
        /^http_request_duration_seconds_count\{[^}]*operation="getItem"[^}]*\} [1-9]/m,
      );
    });

    it('labels requests that matched no route as unmatched, never by their raw path', async () => {
      await fetch(url('/no/such/path/123'));
      const text = await (await fetch(url('/metrics'))).text();
      expect(text).toContain('route="unmatched"');
      expect(text).not.toContain('/no/such/path');
    });
  });

  describe('logs', () => {
    it('writes one JSON line per request with the trace id and no headers or bodies', async () => {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      await fetch(url('/items/7'), {
        headers: {
          traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
          authorization: 'Bearer sekrit',
        },
      });
      const line = logLines
        .map(l => JSON.parse(l))
        .find(l => l.msg === 'request' && l.trace_id === traceId);
      expect(line).toMatchObject({
        level: 'info',
        service: 'probe-service',
        method: 'GET',
        route: '/items/:id',
        status: 200,
      });
      expect(logLines.join('\n')).not.toContain('sekrit');
    });
  });

  describe('the database', () => {
    it('keeps at most DATABASE_POOL_SIZE connections', async () => {
      const res = await fetch(url('/backends'));
      const { pids } = (await res.json()) as { pids: number[] };
      expect(pids.length).toBeGreaterThanOrEqual(1);
      expect(pids.length).toBeLessThanOrEqual(2);
    });

    it('cancels a statement running past DATABASE_STATEMENT_TIMEOUT_MS and answers 503', async () => {
      const res = await fetch(url('/slow?seconds=2'));
      expect(res.status).toBe(503);
      expect((await errorOf(res)).code).toBe('database_timeout');
      expect((await fetch(url('/slow?seconds=0.01'))).status).toBe(200);
    });

    it('fails /readyz while the database is down and recovers after', async () => {
      expect((await fetch(url('/readyz'))).status).toBe(200);
      await service.database!.cut();
      try {
        const down = await fetch(url('/readyz'));
        expect(down.status).toBe(503);
        expect(await down.json()).toMatchObject({
          checks: { database: 'down' },
        });
        const query = await fetch(url('/items/7'));
        expect(query.status).toBe(503);
        expect((await errorOf(query)).code).toBe('database_unavailable');
      } finally {
        await service.database!.restore();
      }
      await expect
        .poll(async () => (await fetch(url('/readyz'))).status, {
          timeout: 10_000,
        })
        .toBe(200);
    });
  });
});

describe('graceful shutdown', () => {
  it('fails readiness first, then finishes every in-flight request before closing', async () => {
    const service = await startTestService(probeService, {
      env: { SHUTDOWN_DELAY_MS: '300' },
    });
    const inFlight = Array.from({ length: 5 }, () =>
      fetch(`${service.baseUrl}/wait`),
    );
    await new Promise(resolve => setTimeout(resolve, 100));
    const stopped = service.stop();
    const ready = await fetch(`${service.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    releaseWaiting();
    const answers = await Promise.all(inFlight);
    expect(answers.map(a => a.status)).toEqual([200, 200, 200, 200, 200]);
    await stopped;
    await expect(fetch(`${service.baseUrl}/healthz`)).rejects.toThrow();
  });
});

describe('background work beside the server', () => {
  const withBackground = (
    background: ServiceDefinition['background'],
  ): ServiceDefinition => ({ ...probeService, background });

  it('starts after the migrations, fails /healthz once it dies, and stops with the server', async () => {
    const events: string[] = [];
    let alive = true;
    const service = await startTestService(
      withBackground(async ({ db }) => {
        // The migrations are in: the loop may use the service's tables from its first round.
        await db.query('SELECT count(*) FROM items');
        events.push('started');
        return {
          alive: () => alive,
          stop: async () => void events.push('stopped'),
        };
      }),
    );
    try {
      expect(events).toEqual(['started']);
      expect((await fetch(`${service.baseUrl}/healthz`)).status).toBe(200);
      alive = false;
      expect((await fetch(`${service.baseUrl}/healthz`)).status).toBe(503);
    } finally {
      await service.stop();
    }
    expect(events).toEqual(['started', 'stopped']);
  });

  it('refuses to start, with its reason, when the background work cannot start', async () => {
    await expect(
      startTestService(
        withBackground(async () => {
          throw new ConfigError('NATS_URL must be set');
        }),
      ),
    ).rejects.toThrow('NATS_URL must be set');
  });
});

import type { CreateRoutes } from '../src/platform/app.js';
import { HttpError } from '../src/platform/http.js';
import { startTestService, type TestService } from './support/harness.js';

// Routes that exercise the platform layer only, so this suite holds for every golden path.
const probeRoutes: CreateRoutes = ({ db }) => [
  { method: 'GET', path: '/probe/items/:id', operationId: 'getItem', handler: async req => ({ status: 200, body: { id: req.params.id, traceId: req.traceId } }) },
  { method: 'POST', path: '/probe/echo', operationId: 'echo', handler: async req => ({ status: 201, body: req.body }) },
  { method: 'GET', path: '/probe/teapot', operationId: 'teapot', handler: async () => { throw new HttpError(418, 'teapot', 'short and stout'); } },
  { method: 'GET', path: '/probe/crash', operationId: 'crash', handler: async () => { throw new Error('secret internals'); } },
  { method: 'GET', path: '/probe/db', operationId: 'db', handler: async () => ({ status: 200, body: await db.query('SELECT 1 AS one') }) },
  { method: 'GET', path: '/probe/slow-transaction', operationId: 'slowTransaction', handler: async () => ({ status: 200, body: await db.transaction(tx => tx.query('SELECT pg_sleep(2) AS slept')) }) },
];

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const INCOMING = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

describe('the platform layer', () => {
  let service: TestService;
  const logLines: string[] = [];

  beforeAll(async () => {
    service = await startTestService({
      createRoutes: probeRoutes,
      env: { BODY_LIMIT_BYTES: '1024' },
      interruptibleDatabase: true,
      writeLog: line => logLines.push(line),
    });
  });
  afterAll(async () => {
    await service?.stop();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${service.baseUrl}${path}`, { headers });
  const post = (path: string, body: string, type = 'application/json') =>
    fetch(`${service.baseUrl}${path}`, { method: 'POST', body, headers: { 'content-type': type } });

  describe('health endpoints', () => {
    it('answers /healthz with ok', async () => {
      const res = await get('/healthz');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
    });

    it('answers /readyz with ready while the database is up', async () => {
      const res = await get('/readyz');
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ready', checks: { database: 'up' } });
    });

    it('fails /readyz and answers 503 while the database is down, and recovers after', async () => {
      await service.database!.cut();
      try {
        const ready = await get('/readyz');
        expect(ready.status).toBe(503);
        expect(await ready.json()).toMatchObject({ status: 'not_ready', checks: { database: 'down' } });
        const query = await get('/probe/db');
        expect(query.status).toBe(503);
        expect(await query.json()).toEqual({ error: { code: 'database_unavailable', message: expect.any(String) } });
        expect((await get('/healthz')).status).toBe(200);
      } finally {
        await service.database!.restore();
      }
      expect((await get('/readyz')).status).toBe(200);
      expect((await get('/probe/db')).status).toBe(200);
    });

    it('answers 503 when the database drops in the middle of a transaction, and keeps serving', async () => {
      const inFlight = get('/probe/slow-transaction');
      await new Promise(resolve => setTimeout(resolve, 500));
      await service.database!.cut();
      try {
        const res = await inFlight;
        expect(res.status).toBe(503);
        expect(await res.json()).toMatchObject({ error: { code: 'database_unavailable' } });
        expect((await get('/healthz')).status).toBe(200);
      } finally {
        await service.database!.restore();
      }
      expect((await get('/probe/db')).status).toBe(200);
    });
  });

  describe('tracing', () => {
    it('continues the incoming trace and returns its own traceparent', async () => {
      const res = await get('/probe/items/7', { traceparent: INCOMING });
      const body = (await res.json()) as { traceId: string };
      expect(body.traceId).toBe(TRACE_ID);
      const returned = res.headers.get('traceparent') ?? '';
      expect(returned).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
      expect(returned).not.toBe(INCOMING);
    });

    it('starts a new trace when the request carries none', async () => {
      const res = await get('/probe/items/8');
      const body = (await res.json()) as { traceId: string };
      expect(body.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(body.traceId).not.toBe('0'.repeat(32));
      expect(res.headers.get('traceparent')).toContain(body.traceId);
    });

    it('writes the trace id into the request log line', async () => {
      await get('/probe/items/9', { traceparent: INCOMING });
      const lines = logLines.map(l => JSON.parse(l));
      expect(lines).toContainEqual(expect.objectContaining({ msg: 'request', route: '/probe/items/:id', status: 200, trace_id: TRACE_ID }));
    });
  });

  describe('metrics', () => {
    it('counts requests by method, route pattern and status', async () => {
      const count = async () => {
        const text = await (await get('/metrics')).text();
        const line = text.split('\n').find(l => l.startsWith('http_requests_total{method="POST",route="/probe/echo",status="201"}'));
        return line ? Number(line.split(' ').pop()) : 0;
      };
      const before = await count();
      for (let i = 0; i < 3; i++) await post('/probe/echo', '{"n":1}');
      expect(await count()).toBe(before + 3);
    });

    it('serves the Prometheus text format', async () => {
      const res = await get('/metrics');
      expect(res.headers.get('content-type')).toContain('text/plain');
      expect(await res.text()).toContain('# TYPE http_request_duration_seconds histogram');
    });
  });

  describe('errors', () => {
    it('answers 404 for an unknown path', async () => {
      const res = await get('/no/such/thing');
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'no route for /no/such/thing' } });
    });

    it('answers 405 with an Allow header for a known path and another method', async () => {
      const res = await fetch(`${service.baseUrl}/healthz`, { method: 'DELETE' });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET');
      expect(await res.json()).toMatchObject({ error: { code: 'method_not_allowed' } });
    });

    it('answers 400 for a body that is not JSON', async () => {
      const res = await post('/probe/echo', '{"broken":');
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'invalid_json' } });
    });

    it('answers 415 for a body that is not declared as JSON', async () => {
      const res = await post('/probe/echo', 'a=1', 'application/x-www-form-urlencoded');
      expect(res.status).toBe(415);
      expect(await res.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
    });

    it('passes a handler HttpError through with its status and code', async () => {
      const res = await get('/probe/teapot');
      expect(res.status).toBe(418);
      expect(await res.json()).toEqual({ error: { code: 'teapot', message: 'short and stout' } });
    });

    it('hides the cause of an unexpected error behind a 500', async () => {
      const res = await get('/probe/crash');
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: 'internal error' } });
      expect(text).not.toContain('secret internals');
    });
  });

  describe('JSON body limit', () => {
    it('accepts a body up to the limit', async () => {
      const body = JSON.stringify({ pad: 'x'.repeat(1000) });
      expect(body.length).toBeLessThanOrEqual(1024);
      const res = await post('/probe/echo', body);
      expect(res.status).toBe(201);
      expect(await res.json()).toEqual(JSON.parse(body));
    });

    it('answers 413 for a body over the limit', async () => {
      const res = await post('/probe/echo', JSON.stringify({ pad: 'x'.repeat(2000) }));
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    });

    it('answers 413 for a chunked body over the limit (no content-length)', async () => {
      const chunks = new ReadableStream({
        start(controller) {
          for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(500)));
          controller.close();
        },
      });
      const res = await fetch(`${service.baseUrl}/probe/echo`, {
        method: 'POST',
        body: chunks,
        headers: { 'content-type': 'application/json' },
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(413);
    });
  });
});

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Database } from './db.js';
import { HttpError, type HttpRequest, type HttpResponse, type Route } from './http.js';
import { errorMessage, type Logger } from './log.js';
import type { Metrics } from './metrics.js';
import { Router } from './router.js';
import { withServerSpan } from './tracing.js';

export interface ServerOptions {
  routes: Route[];
  db: Database;
  logger: Logger;
  metrics: Metrics;
  bodyLimitBytes: number;
}

export interface RunningServer {
  readonly port: number;
  close(): Promise<void>;
}

const JSON_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The routes every service has, served before the golden path's own. */
function platformRoutes(options: ServerOptions): Route[] {
  return [
    { method: 'GET', path: '/healthz', operationId: 'healthz', handler: async () => ({ status: 200, body: { status: 'ok' } }) },
    {
      method: 'GET',
      path: '/readyz',
      operationId: 'readyz',
      handler: async () => {
        try {
          await options.db.ping();
          return { status: 200, body: { status: 'ready', checks: { database: 'up' } } };
        } catch (error) {
          options.logger.warn('readiness check failed', { reason: errorMessage(error) });
          return { status: 503, body: { status: 'not_ready', checks: { database: 'down' } } };
        }
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      operationId: 'metrics',
      handler: async () => ({
        status: 200,
        body: options.metrics.render(),
        headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
      }),
    },
  ];
}

/** Paths the platform layer serves, for the contract check. */
export const PLATFORM_PATHS = ['/healthz', '/readyz', '/metrics'];

export async function startServer(options: ServerOptions, port: number): Promise<RunningServer> {
  const router = new Router([...platformRoutes(options), ...options.routes]);
  const server = createServer((req, res) => {
    void handle(router, options, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, resolve);
  });
  return { port: (server.address() as AddressInfo).port, close: () => closeServer(server) };
}

async function handle(router: Router, options: ServerOptions, req: IncomingMessage, res: ServerResponse) {
  const started = process.hrtime.bigint();
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://service.local');
  const headers = flattenHeaders(req);
  let routeLabel = 'unmatched';
  await withServerSpan(`${method} ${url.pathname}`, headers, async (span, traceHeaders) => {
    let response: HttpResponse;
    try {
      const match = router.match(method, url.pathname);
      if (match.kind === 'not-found') throw new HttpError(404, 'not_found', `no route for ${url.pathname}`);
      if (match.kind === 'wrong-method') {
        const allow = { allow: match.allowed.join(', ') };
        throw new HttpError(405, 'method_not_allowed', `${method} is not allowed on ${url.pathname}`, allow);
      } else {
        routeLabel = match.route.path;
        span.updateName(`${method} ${match.route.path}`);
        const rawBody = await readBody(req, options.bodyLimitBytes);
        const request: HttpRequest = {
          method,
          path: url.pathname,
          params: match.params,
          query: url.searchParams,
          headers,
          body: parseBody(method, headers, rawBody),
          rawBody,
          traceId: span.spanContext().traceId,
        };
        response = await match.route.handler(request);
      }
    } catch (error) {
      response = errorResponse(error);
      if (response.status >= 500) options.logger.error('request failed', { reason: errorMessage(error) });
    }
    span.setAttribute('http.response.status_code', response.status);
    send(res, response, traceHeaders);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    options.metrics.observeRequest(method, routeLabel, response.status, seconds);
    // No headers or bodies in logs: they may hold tokens and personal data.
    options.logger.info('request', { method, route: routeLabel, status: response.status, duration_ms: Math.round(seconds * 1000) });
  });
}

function flattenHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    // Chunked bodies have no content-length: count while reading and stop at the limit.
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const tooLarge = (limit: number) => new HttpError(413, 'payload_too_large', `the request body is larger than ${limit} bytes`);

function parseBody(method: string, headers: Record<string, string | undefined>, raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  if (!JSON_METHODS.has(method)) throw new HttpError(400, 'unexpected_body', `${method} requests take no body`);
  const type = (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json' && !type.endsWith('+json')) {
    throw new HttpError(415, 'unsupported_media_type', 'the request body must be application/json');
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new HttpError(400, 'invalid_json', `the request body is not valid JSON: ${errorMessage(error)}`);
  }
}

function errorResponse(error: unknown): HttpResponse {
  if (error instanceof HttpError) {
    return { status: error.status, body: { error: { code: error.code, message: error.message } }, headers: error.headers };
  }
  // The cause is logged, never sent: it may name tables, hosts or data.
  return { status: 500, body: { error: { code: 'internal', message: 'internal error' } } };
}

function send(res: ServerResponse, response: HttpResponse, traceHeaders: Record<string, string>) {
  const headers: Record<string, string> = { ...response.headers, ...traceHeaders };
  let payload: string | Buffer | undefined;
  if (response.body === undefined) {
    payload = undefined;
  } else if ((typeof response.body === 'string' || Buffer.isBuffer(response.body)) && headers['content-type']) {
    payload = response.body;
  } else {
    payload = JSON.stringify(response.body);
    headers['content-type'] = 'application/json; charset=utf-8';
  }
  // The body may not have been read (404, 413): close rather than keep a half-read connection.
  if (!res.req.complete) headers.connection = 'close';
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(payload);
}

// In-flight requests get this long to finish after a stop (Kubernetes waits 30 s before SIGKILL).
const DRAIN_MS = 10_000;

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close(error => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), DRAIN_MS).unref();
  });
}

import responseValidation from '@fastify/response-validation';
import {
  fastify,
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import openapiGlue from 'fastify-openapi-glue';
import type { Span } from '@opentelemetry/api';
import { errorResponse } from './errorResponse.js';
import { HttpError } from './errors.js';
import type { Handler, Handlers, HttpRequest, HttpResponse } from './http.js';
import type { Logger } from './logger.js';
import type { ServiceMetrics } from './metrics.js';
import type { OpenApiDocument } from './openapi.js';
import { allowedMethods } from './openapi.js';
import { startServerSpan } from './tracing.js';
import { requestValidatorCompiler, responseValidator } from './validation.js';

export interface ServerOptions {
  document: OpenApiDocument;
  /** Every operation's handler, the runtime's own (healthz, readyz, metrics) included. */
  handlers: Handlers;
  logger: Logger;
  metrics: ServiceMetrics;
  bodyLimitBytes: number;
  /** fastify-openapi-glue's security handlers, by scheme name (see bearer.ts). */
  securityHandlers?: Record<string, unknown>;
}

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: Buffer;
    paverSpan?: { span: Span; run<T>(fn: () => T): T };
  }
}

/**
 * Fastify with every operation of openapi.yaml registered (fastify-openapi-glue) and validated:
 * requests against their parameters and body schemas (400 naming the field), responses against
 * the documented schema for their status (500: a handler broke the contract).
 */
export async function buildServer(
  options: ServerOptions,
): Promise<FastifyInstance> {
  const app = fastify({
    // pino's Logger is Fastify's logger; the cast only narrows pino's generics to Fastify's.
    loggerInstance: options.logger as FastifyBaseLogger,
    // Fastify's own per-request lines are off: observeRequests writes one line per request.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimitBytes,
    // Without this a client that never reads would hold close() open forever.
    forceCloseConnections: 'idle',
    // Requests that arrive while the server is closing get 503 and `connection: close`.
    return503OnClosing: true,
  });
  app.setValidatorCompiler(requestValidatorCompiler());
  addJsonParser(app);
  observeRequests(app, options);
  app.setErrorHandler((error, request, reply) => {
    const response = errorResponse(error);
    if (response.status >= 500) {
      request.log.error({ reason: String(error) }, 'request failed');
    }
    return sendResponse(reply, response);
  });
  app.setNotFoundHandler((request, reply) =>
    sendResponse(reply, errorResponse(noRoute(options.document, request))),
  );
  await app.register(responseValidation, { ajv: responseValidator() });
  authenticateBeforeValidating(app);
  await app.register(openapiGlue, {
    specification: options.document,
    securityHandlers: options.securityHandlers,
    operationResolver: operationId =>
      adapt(operationId, options.handlers[operationId]),
  });
  return app;
}

/**
 * fastify-openapi-glue checks security in `preHandler`, after the request is validated: a caller
 * without a token would learn the schema from its 400s. The check moves to `preValidation`.
 */
function authenticateBeforeValidating(app: FastifyInstance) {
  app.addHook('onRoute', route => {
    if (!route.preHandler) return;
    route.preValidation = route.preHandler;
    route.preHandler = undefined;
  });
}

/** 405 with `allow` for a documented path and another method, else 404. */
function noRoute(
  document: OpenApiDocument,
  request: FastifyRequest,
): HttpError {
  const path = request.url.split('?')[0];
  const allowed = allowedMethods(document, path);
  if (allowed.length === 0)
    return new HttpError(404, 'not_found', `no route for ${path}`);
  return new HttpError(
    405,
    'method_not_allowed',
    `${request.method} is not allowed on ${path}`,
    {
      allow: allowed.join(', '),
    },
  );
}

function sendResponse(reply: FastifyReply, response: HttpResponse) {
  return reply
    .code(response.status)
    .headers(response.headers ?? {})
    .send(response.body);
}

// A JSON body is kept as bytes too: a webhook signature covers the bytes, not re-serialized JSON.
function addJsonParser(app: FastifyInstance) {
  // Only JSON is parsed: any other content type is a 415, not a string handed to the schema.
  app.removeAllContentTypeParsers();
  const parse = (
    request: FastifyRequest,
    raw: Buffer,
    done: (err: Error | null, body?: unknown) => void,
  ) => {
    request.rawBody = raw;
    if (raw.length === 0) return done(null, undefined);
    try {
      return done(null, JSON.parse(raw.toString('utf8')));
    } catch (error) {
      const reason = (error as Error).message;
      return done(
        new HttpError(
          400,
          'invalid_json',
          `the request body is not valid JSON: ${reason}`,
        ),
      );
    }
  };
  for (const type of [
    'application/json',
    /^application\/[a-z0-9.+-]+\+json$/,
  ]) {
    app.addContentTypeParser(
      type,
      { parseAs: 'buffer' },
      (request, body, done) => parse(request, body as Buffer, done),
    );
  }
}

// One server span, one RED observation and one log line per request, matched or not.
function observeRequests(app: FastifyInstance, options: ServerOptions) {
  app.addHook('onRequest', async (request, reply) => {
    const traced = startServerSpan(
      `${request.method} ${request.url.split('?')[0]}`,
      request.headers,
    );
    request.paverSpan = traced;
    reply.headers(traced.outgoing);
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const operation = (
      request.routeOptions.schema as { operationId?: string } | undefined
    )?.operationId;
    const seconds = reply.elapsedTime / 1000;
    options.metrics.observeRequest(
      {
        method: request.method,
        route,
        operation: operation ?? 'unmatched',
        status: reply.statusCode,
      },
      seconds,
    );
    const span = request.paverSpan?.span;
    if (span) {
      span.updateName(`${request.method} ${route}`);
      span.setAttribute('http.response.status_code', reply.statusCode);
      span.setAttribute('http.route', route);
      span.end();
    }
    // No headers or bodies in logs: they may hold tokens and personal data.
    request.log.info(
      {
        method: request.method,
        route,
        status: reply.statusCode,
        duration_ms: Math.round(seconds * 1000),
        trace_id: span?.spanContext().traceId,
      },
      'request',
    );
  });
}

function adapt(operationId: string, handler: Handler | undefined) {
  if (!handler) throw new Error(`no handler for operation ${operationId}`);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const req = toHttpRequest(operationId, request);
    const run = request.paverSpan?.run ?? (<T>(fn: () => T) => fn());
    const response = await run(() => handler(req));
    return send(reply, response);
  };
}

function toHttpRequest(
  operationId: string,
  request: FastifyRequest,
): HttpRequest {
  const [path, search = ''] = request.url.split(/\?(.*)/s);
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(
    (request.params ?? {}) as Record<string, unknown>,
  )) {
    params[name] = String(value);
  }
  return {
    method: request.method,
    path,
    operationId,
    params,
    query: new URLSearchParams(search),
    headers,
    body: request.body,
    rawBody: request.rawBody ?? Buffer.alloc(0),
    traceId: request.paverSpan?.span.spanContext().traceId ?? '',
    principal: request.paverPrincipal,
  };
}

function send(reply: FastifyReply, response: HttpResponse) {
  reply.code(response.status);
  if (response.headers) reply.headers(response.headers);
  if (response.body === undefined) return reply.send();
  const textual =
    typeof response.body === 'string' || Buffer.isBuffer(response.body);
  if (textual && reply.hasHeader('content-type'))
    return reply.send(response.body);
  reply.type('application/json; charset=utf-8');
  return reply.send(response.body);
}

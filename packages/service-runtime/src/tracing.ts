import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';

export type { SpanProcessor } from '@opentelemetry/sdk-trace';

/** W3C trace context as it travels in headers or in a stored row: `traceparent`, `tracestate`. */
export type TraceCarrier = Record<string, string>;

export interface TracingOptions {
  serviceName: string;
  exporter: 'otlp' | 'console' | 'none';
  otlpEndpoint?: string;
  /** Extra span processors (tests collect spans with one). */
  spanProcessors?: SpanProcessor[];
}

export interface Tracing {
  /** Exports what is buffered and stops; called last on shutdown. */
  shutdown(): Promise<void>;
}

let installed: TracerProvider | undefined;
// Span processors a running service added (tests collect spans with one); removed on its stop.
const extraProcessors = new Set<SpanProcessor>();
const fanOut: SpanProcessor = {
  onStart: (span, parent) =>
    extraProcessors.forEach(p => p.onStart(span, parent)),
  onEnd: span => extraProcessors.forEach(p => p.onEnd(span)),
  forceFlush: async () => {
    await Promise.all([...extraProcessors].map(p => p.forceFlush()));
  },
  shutdown: async () => {},
};

/**
 * Installs the OpenTelemetry tracer provider (with an OTLP/HTTP exporter batching spans to the
 * collector), the W3C propagator and the AsyncLocalStorage context manager, once per process:
 * they are process globals, so a second service in the same process shares the first's.
 */
export function initTracing(options: TracingOptions): Tracing {
  const extra = options.spanProcessors ?? [];
  extra.forEach(p => extraProcessors.add(p));
  const tracing: Tracing = {
    async shutdown() {
      await installed?.forceFlush();
      extra.forEach(p => extraProcessors.delete(p));
    },
  };
  if (installed) return tracing;
  const processors: SpanProcessor[] = [fanOut];
  if (options.exporter === 'otlp') {
    processors.push(
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: options.otlpEndpoint }),
      }),
    );
  } else if (options.exporter === 'console') {
    processors.push(
      new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter() }),
    );
  }
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: processors,
  });
  installed = provider;
  // Globals outlive a module reload (test runners reuse processes): replace, never stack.
  trace.disable();
  propagation.disable();
  context.disable();
  trace.setGlobalTracerProvider(provider);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  context.setGlobalContextManager(
    new AsyncLocalStorageContextManager().enable(),
  );
  return tracing;
}

const tracer = () => trace.getTracer('@paver/service-runtime');

/** Starts a server span whose parent is the incoming `traceparent`, if any. */
export function startServerSpan(
  name: string,
  incoming: Record<string, string | string[] | undefined>,
): { span: Span; run<T>(fn: () => T): T; outgoing: TraceCarrier } {
  const parent = propagation.extract(ROOT_CONTEXT, incoming);
  const span = tracer().startSpan(name, { kind: SpanKind.SERVER }, parent);
  const active = trace.setSpan(parent, span);
  const outgoing: TraceCarrier = {};
  propagation.inject(active, outgoing);
  return { span, run: fn => context.with(active, fn), outgoing };
}

/**
 * Runs `fn` in a child span of the active one, or of `parent` (a carrier stored with an outbox
 * row, so an asynchronous hop continues the trace that enqueued it). The span is marked failed
 * when `fn` throws.
 */
export async function withSpan<T>(
  name: string,
  attributes: Record<string, string>,
  fn: () => Promise<T>,
  options: { parent?: TraceCarrier; kind?: SpanKind } = {},
): Promise<T> {
  const parent = options.parent
    ? propagation.extract(ROOT_CONTEXT, options.parent)
    : context.active();
  return tracer().startActiveSpan(
    name,
    { attributes, kind: options.kind },
    parent,
    async span => {
      try {
        return await fn();
      } catch (error) {
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: error instanceof Error ? error.message : String(error),
        });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/**
 * The active trace context as headers for an outgoing request (or columns of an outbox row):
 * `{ traceparent, tracestate? }`, or `{}` outside a span.
 */
export function traceCarrier(): TraceCarrier {
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

export { SpanKind } from '@opentelemetry/api';

import { AsyncLocalStorage } from 'node:async_hooks';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type ContextManager,
  type Span,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/**
 * Keeps the active OpenTelemetry context across awaits, so database spans and log lines find the
 * request's span. (The same idea as @opentelemetry/context-async-hooks, without another dependency.)
 */
class AsyncLocalStorageContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.storage.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const run = (...args: unknown[]) => this.with(ctx, () => (target as (...a: unknown[]) => unknown)(...args));
    return run as T;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.storage.disable();
    return this;
  }
}

let installed = false;

/**
 * Installs the global tracer provider, W3C propagator and context manager, once per process.
 * `extraProcessors` lets tests collect spans; production adds an OTLP exporter here.
 */
export function initTracing(options: { exporter: 'none' | 'console'; extraProcessors?: SpanProcessor[] }): void {
  if (installed) return;
  installed = true;
  const spanProcessors = [...(options.extraProcessors ?? [])];
  if (options.exporter === 'console') spanProcessors.push(new SimpleSpanProcessor(new ConsoleSpanExporter()));
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors }));
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  context.setGlobalContextManager(new AsyncLocalStorageContextManager());
}

const tracer = () => trace.getTracer('paver-service');

/**
 * Runs `fn` inside a server span whose parent comes from the incoming `traceparent` (if any).
 * `fn` receives the headers to return, which carry the span's own `traceparent`.
 */
export async function withServerSpan<T>(
  name: string,
  incoming: Record<string, string | undefined>,
  fn: (span: Span, outgoing: Record<string, string>) => Promise<T>,
): Promise<T> {
  const parent = propagation.extract(ROOT_CONTEXT, incoming);
  const span = tracer().startSpan(name, { kind: SpanKind.SERVER }, parent);
  const active = trace.setSpan(parent, span);
  const outgoing: Record<string, string> = {};
  propagation.inject(active, outgoing);
  try {
    return await context.with(active, () => fn(span, outgoing));
  } finally {
    span.end();
  }
}

/** Runs `fn` in a child span of the active one; marks the span as failed when `fn` throws. */
export async function withSpan<T>(name: string, attributes: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(name, { attributes }, async span => {
    try {
      return await fn();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

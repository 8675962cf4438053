import { trace } from '@opentelemetry/api';
import {
  pino,
  stdTimeFunctions,
  type DestinationStream,
  type Logger,
} from 'pino';
import type { LogLevel } from './config.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  service: string;
  level: LogLevel;
  /** Where lines go. @default process.stdout */
  write?: (line: string) => void;
}

/**
 * JSON lines through pino; every line carries the service and, inside a span, its trace and span
 * ids, so a log search by trace id finds every line of a request.
 */
export function createLogger(options: LoggerOptions): Logger {
  const destination: DestinationStream | undefined = options.write
    ? { write: options.write }
    : undefined;
  return pino(
    {
      level: options.level,
      base: { service: options.service },
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: label => ({ level: label }) },
      mixin() {
        const span = trace.getActiveSpan()?.spanContext();
        return span ? { trace_id: span.traceId, span_id: span.spanId } : {};
      },
    },
    destination,
  );
}

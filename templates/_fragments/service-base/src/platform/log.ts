import { trace } from '@opentelemetry/api';
import type { LogLevel } from './config.js';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export type LogFields = Record<string, string | number | boolean | undefined>;

/** JSON-lines logger; every line carries the active span's trace and span ids. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export interface LoggerOptions {
  service: string;
  level: LogLevel;
  /** Where lines go. @default process.stdout */
  write?: (line: string) => void;
}

// Fields are spread first so a caller can never overwrite time, level or the trace ids.
export function createLogger(options: LoggerOptions): Logger {
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const threshold = RANK[options.level];
  const log = (level: Exclude<LogLevel, 'silent'>) => (msg: string, fields: LogFields = {}) => {
    if (RANK[level] < threshold) return;
    const span = trace.getActiveSpan()?.spanContext();
    const line = {
      ...fields,
      time: new Date().toISOString(),
      level,
      service: options.service,
      msg,
      trace_id: span?.traceId,
      span_id: span?.spanId,
    };
    write(`${JSON.stringify(line)}\n`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** The message of anything thrown, without its stack or any request data. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

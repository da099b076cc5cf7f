/**
 * The pino logger every demo service uses. Each line carries `service_name`,
 * the active span's `trace_id`/`span_id` and the request's `user_id`; with a
 * LoggerProvider the lines also go out over OTLP (see otelLogStream.ts).
 */
import type { LoggerProvider } from '@opentelemetry/api-logs';
import { trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger } from 'pino';
import { createOtelLogStream } from './otelLogStream';
import { currentUserId } from './requestContext';

export type { Logger };

export interface LoggerOptions {
  serviceName: string;
  level?: string;
  /** Where OTLP log records go; without it, lines go to stdout only. */
  loggerProvider?: LoggerProvider;
  /** Local copy of each line (default stdout). */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const level = options.level ?? 'info';
  const local = options.destination ?? process.stdout;
  const destination = options.loggerProvider
    ? pino.multistream([
        { stream: local, level: level as pino.Level },
        { stream: createOtelLogStream(options.loggerProvider, options.serviceName), level: level as pino.Level },
      ])
    : local;
  return pino(
    {
      level,
      base: { service_name: options.serviceName },
      mixin() {
        const fields: Record<string, string> = {};
        const spanContext = trace.getActiveSpan()?.spanContext();
        if (spanContext) {
          fields.trace_id = spanContext.traceId;
          fields.span_id = spanContext.spanId;
        }
        const userId = currentUserId();
        if (userId) fields.user_id = userId;
        return fields;
      },
    },
    destination,
  );
}

/**
 * A pino destination that forwards each JSON line to an OpenTelemetry
 * LoggerProvider, so logs travel over OTLP with the trace and span ids of the
 * line: the store can then join them to their traces. The line is also the
 * record's attributes, minus fields OTLP carries natively.
 */
import { ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { SeverityNumber, type AnyValueMap, type LoggerProvider } from '@opentelemetry/api-logs';

const PINO_SEVERITY: Record<number, [SeverityNumber, string]> = {
  10: [SeverityNumber.TRACE, 'TRACE'],
  20: [SeverityNumber.DEBUG, 'DEBUG'],
  30: [SeverityNumber.INFO, 'INFO'],
  40: [SeverityNumber.WARN, 'WARN'],
  50: [SeverityNumber.ERROR, 'ERROR'],
  60: [SeverityNumber.FATAL, 'FATAL'],
};

// Carried by OTLP fields of their own (or meaningless off-host).
const NATIVE_FIELDS = new Set(['time', 'level', 'msg', 'trace_id', 'span_id', 'pid', 'hostname']);

export interface PinoDestination {
  write(line: string): void;
}

export function createOtelLogStream(provider: LoggerProvider, scope: string): PinoDestination {
  const logger = provider.getLogger(scope);
  return {
    write(line: string) {
      const record = JSON.parse(line) as Record<string, unknown>;
      const [severityNumber, severityText] = PINO_SEVERITY[Number(record.level)] ?? [SeverityNumber.INFO, 'INFO'];
      logger.emit({
        timestamp: typeof record.time === 'number' ? record.time : Date.now(),
        severityNumber,
        severityText,
        body: typeof record.msg === 'string' ? record.msg : '',
        eventName: typeof record.event === 'string' ? record.event : undefined,
        attributes: toAttributes(record),
        context: spanContextOf(record),
      });
    },
  };
}

function toAttributes(record: Record<string, unknown>): AnyValueMap {
  const attributes: AnyValueMap = {};
  for (const [key, value] of Object.entries(record)) {
    if (NATIVE_FIELDS.has(key) || value === undefined || value === null) continue;
    attributes[key] = typeof value === 'object' ? JSON.stringify(value) : (value as string | number | boolean);
  }
  return attributes;
}

function spanContextOf(record: Record<string, unknown>) {
  const { trace_id: traceId, span_id: spanId } = record;
  if (typeof traceId !== 'string' || typeof spanId !== 'string') return undefined;
  return trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true });
}

/**
 * Faultline's spans (read through lib/queries) in Jaeger's model, the way Jaeger's own OTLP
 * translation maps OpenTelemetry spans: kind, status and instrumentation scope become tags, the
 * parent a CHILD_OF reference and links FOLLOWS_FROM ones, events logs with an `event` field, the
 * resource the span's process. docs/jaeger.md has the table.
 *
 * Attribute values are stored as text (`Map(…, String)` in otel_traces), so `502` sent as an integer
 * and `"502"` sent as a string read back alike: every attribute becomes a `string` tag. Only the tags
 * this translation makes itself carry another type (`error`: bool).
 */
import type { Span, TraceInFull } from '@/lib/contract/traces';
import type { JaegerLog, JaegerProcess, JaegerReference, JaegerSpan, JaegerTag, JaegerTrace } from './model';

/** The spans were exported, so they were sampled: W3C's sampled flag, which Faultline doesn't store. */
const sampledFlag = 1;

const kindTags: Record<string, string> = {
  Server: 'server',
  Client: 'client',
  Producer: 'producer',
  Consumer: 'consumer',
  Internal: 'internal',
};

const statusTags: Record<string, string> = { Ok: 'OK', Error: 'ERROR' };

/** Epoch or duration milliseconds (with their sub-millisecond part) to whole microseconds. */
export function micros(ms: number): number {
  return Math.round(ms * 1000);
}

const text = (key: string, value: string): JaegerTag => ({ key, type: 'string', value });

function attributeTags(attributes: Record<string, string>): JaegerTag[] {
  return Object.entries(attributes).map(([key, value]) => text(key, value));
}

/** Tags for what OpenTelemetry keeps outside the attributes; they replace attributes of the same key. */
function spanTags(span: Span): JaegerTag[] {
  const made: JaegerTag[] = [];
  if (span.scope.name) made.push(text('otel.scope.name', span.scope.name));
  if (span.scope.version) made.push(text('otel.scope.version', span.scope.version));
  const kind = kindTags[span.kind];
  if (kind) made.push(text('span.kind', kind));
  const status = statusTags[span.statusCode];
  if (status) made.push(text('otel.status_code', status));
  if (span.statusCode === 'Error') made.push({ key: 'error', type: 'bool', value: true });
  if (span.statusMessage) made.push(text('otel.status_description', span.statusMessage));
  const madeKeys = new Set(made.map((tag) => tag.key));
  return [...attributeTags(span.attributes).filter((tag) => !madeKeys.has(tag.key)), ...made];
}

function references(traceId: string, span: Span): JaegerReference[] {
  const parent: JaegerReference[] = span.parentSpanId ? [{ refType: 'CHILD_OF', traceID: traceId, spanID: span.parentSpanId }] : [];
  return [...parent, ...span.links.map((link): JaegerReference => ({ refType: 'FOLLOWS_FROM', traceID: link.traceId, spanID: link.spanId }))];
}

/** An event's name is its `event` field, unless an attribute of that name says otherwise. */
function logs(span: Span): JaegerLog[] {
  return span.events.map((event) => ({
    timestamp: micros(event.timeMs),
    fields: [...('event' in event.attributes ? [] : [text('event', event.name)]), ...attributeTags(event.attributes)],
  }));
}

/** The resource without `service.name` (the process's serviceName), tags sorted by key as Jaeger keeps them. */
function process(span: Span): JaegerProcess {
  const tags = attributeTags(span.resource)
    .filter((tag) => tag.key !== 'service.name')
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { serviceName: span.service, tags };
}

/** One trace; spans with the same service and resource share a process, numbered p1, p2… in span order. */
export function toJaegerTrace(trace: TraceInFull, truncatedAt: number): JaegerTrace {
  const processes: Record<string, JaegerProcess> = {};
  const processIds = new Map<string, string>();
  const spans = trace.spans.map((span): JaegerSpan => {
    const candidate = process(span);
    const identity = JSON.stringify(candidate);
    let processID = processIds.get(identity);
    if (!processID) {
      processID = `p${processIds.size + 1}`;
      processIds.set(identity, processID);
      processes[processID] = candidate;
    }
    return {
      traceID: trace.traceId,
      spanID: span.spanId,
      operationName: span.name,
      references: references(trace.traceId, span),
      startTime: micros(span.startMs),
      duration: micros(span.durationMs),
      flags: sampledFlag,
      tags: spanTags(span),
      logs: logs(span),
      processID,
      warnings: null,
    };
  });
  const warnings = trace.truncated ? [`the trace has more than ${truncatedAt} spans: only the first ${truncatedAt} are shown`] : null;
  return { traceID: trace.traceId, spans, processes, warnings };
}

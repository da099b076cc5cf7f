/**
 * One trace for the trace view: the outline of every span (what the waterfall draws), and one span in
 * full (attributes, resource, events, links) when it is opened. Whole traces in full, every span with
 * its details, are what the Jaeger query API (lib/jaeger/) answers.
 *
 * Outlines come from `faultline_trace_spans`, ordered by TraceId, so a trace is a granule or two
 * whatever services it crosses. A span in full comes from `otel_traces`, found by its primary key
 * (service, operation, start) as that table records it. Without the derived table (a cluster) both
 * read `otel_traces` inside the trace's time bounds from the contrib lookup table, as the contrib
 * exporter's readers do.
 */
import { z } from 'zod';
import { sql, type SqlFragment } from '@/lib/clickhouse/sql';
import { hasTable } from './capabilities';
import { NotFoundError } from '../errors';
import { epochMs, selectRows, table, type QueryStore } from '../clickhouse/selectRows';
import { hexIdField, isTrace, traceBounds, traceIdField } from './traceSearch';
import type { Span, SpanOutline, Trace, TraceInFull, WaterfallSpan } from '@/lib/contract/traces';

export const spanInput = z.object({ traceId: traceIdField, spanId: hexIdField(16) });

/** More spans than this are cut off (and the trace marked truncated) to keep the browser responsive. */
export const maxTraceSpans = 50_000;

const outlineColumns = sql`SpanId AS spanId, ParentSpanId AS parentSpanId, SpanName AS name, SpanKind AS kind,
  ServiceName AS service, ${epochMs('Timestamp')} AS startMs, Duration / 1e6 AS durationMs,
  StatusCode AS statusCode, StatusMessage AS statusMessage`;

/**
 * The `WITH` prefix, table and condition of the `otel_traces` rows of one trace (or several) inside its lookup-table
 * bounds. Spans can be in otel_traces a moment before the lookup table's view has written their row
 * (views are filled one after another): an unknown trace is read without bounds, and a fresh one
 * without an upper bound, so the TraceId index finds the spans just stored.
 */
function boundedSpans(store: QueryStore, ids: string | readonly string[]): SpanSource {
  return {
    prefix: sql`WITH ${traceBounds(store, ids)} AS bounds`,
    from: table(store, 'otel_traces'),
    where: sql`${isTrace(ids)}
        AND (bounds.1 = toDateTime(0)
          OR Timestamp >= bounds.1 AND (Timestamp < bounds.2 OR bounds.2 > now() - INTERVAL 5 MINUTE))`,
  };
}

type SpanSource = { prefix: SqlFragment; from: ReturnType<typeof table>; where: SqlFragment };

/**
 * The attributes the waterfall's overlays draw (retries, breaker, timeout, bulkhead, fallback). The
 * filter is the derived table's own, so it reads alike from `faultline_trace_spans` and `otel_traces`.
 */
const resilienceColumn = sql`mapFilter((key, value) -> startsWith(key, 'resilience.') OR key = 'http.request.resend_count', SpanAttributes) AS resilience`;

export async function getTrace(store: QueryStore, id: string): Promise<Trace> {
  const { prefix, from, where }: SpanSource = (await hasTable(store, 'faultline_trace_spans'))
    ? { prefix: sql``, from: table(store, 'faultline_trace_spans'), where: sql`TraceId = ${id}` }
    : boundedSpans(store, id);
  const spans = await selectRows<WaterfallSpan>(
    store,
    sql`
      ${prefix}
      SELECT ${outlineColumns}, ${resilienceColumn}
      FROM ${from}
      WHERE ${where}
      ORDER BY Timestamp
      LIMIT 1 BY SpanId
      LIMIT ${maxTraceSpans + 1}`,
  );
  if (spans.length === 0) throw new NotFoundError(`trace ${id} is not in the store (or has expired)`);
  return { traceId: id, spans: spans.slice(0, maxTraceSpans), truncated: spans.length > maxTraceSpans };
}

const spanColumns = sql`${outlineColumns}, SpanAttributes AS attributes, ResourceAttributes AS resource,
  ScopeName AS scopeName, ScopeVersion AS scopeVersion,
  arrayMap(t -> ${epochMs('t')}, Events.Timestamp) AS eventTimes,
  Events.Name AS eventNames, Events.Attributes AS eventAttributes,
  Links.TraceId AS linkTraceIds, Links.SpanId AS linkSpanIds, Links.Attributes AS linkAttributes`;

type SpanRow = SpanOutline &
  Pick<Span, 'attributes' | 'resource'> & {
    scopeName: string;
    scopeVersion: string;
    eventTimes: number[];
    eventNames: string[];
    eventAttributes: Record<string, string>[];
    linkTraceIds: string[];
    linkSpanIds: string[];
    linkAttributes: Record<string, string>[];
  };

export async function getSpan(store: QueryStore, traceId: string, spanId: string): Promise<Span> {
  const { prefix, from, where }: SpanSource = (await hasTable(store, 'faultline_trace_spans'))
    ? {
        // A scalar, evaluated before the read is planned, so the primary key finds the span's granule.
        prefix: sql`WITH (SELECT (ServiceName, SpanName, Timestamp) FROM ${table(store, 'faultline_trace_spans')}
          WHERE TraceId = ${traceId} AND SpanId = ${spanId} LIMIT 1) AS at`,
        from: table(store, 'otel_traces'),
        where: sql`TraceId = ${traceId} AND ServiceName = at.1 AND SpanName = at.2 AND Timestamp = at.3`,
      }
    : boundedSpans(store, traceId);
  const [row] = await selectRows<SpanRow>(
    store,
    sql`
      ${prefix}
      SELECT ${spanColumns}
      FROM ${from}
      WHERE (${where}) AND SpanId = ${spanId}
      LIMIT 1`,
  );
  if (!row) throw new NotFoundError(`span ${spanId} of trace ${traceId} is not in the store (or has expired)`);
  return toSpan(row);
}

/**
 * Every span of the traces in full, at most `maxTraceSpans` a trace, in start order; traces not in the
 * store are left out. The details live only in `otel_traces`: its spans are found by their primary key
 * (service, operation, start) as `faultline_trace_spans` records them, as one span in full is, or
 * without that table inside the traces' bounds.
 */
export async function getTracesInFull(store: QueryStore, ids: readonly string[]): Promise<TraceInFull[]> {
  if (ids.length === 0) return [];
  const { prefix, from, where }: SpanSource = (await hasTable(store, 'faultline_trace_spans'))
    ? {
        prefix: sql``,
        from: table(store, 'otel_traces'),
        where: sql`${isTrace(ids)} AND (ServiceName, SpanName, Timestamp) IN (
          SELECT ServiceName, SpanName, Timestamp FROM ${table(store, 'faultline_trace_spans')} WHERE ${isTrace(ids)})`,
      }
    : boundedSpans(store, ids);
  const rows = await selectRows<SpanRow & { traceId: string }>(
    store,
    sql`
      ${prefix}
      SELECT TraceId AS traceId, ${spanColumns}
      FROM ${from}
      WHERE ${where}
      ORDER BY Timestamp
      LIMIT 1 BY TraceId, SpanId
      LIMIT ${(maxTraceSpans + 1) * ids.length}`,
  );
  const byTrace = new Map<string, Span[]>();
  for (const { traceId, ...row } of rows) {
    const spans = byTrace.get(traceId) ?? [];
    byTrace.set(traceId, spans);
    spans.push(toSpan(row));
  }
  return ids.flatMap((traceId) => {
    const spans = byTrace.get(traceId);
    return spans ? [{ traceId, spans: spans.slice(0, maxTraceSpans), truncated: spans.length > maxTraceSpans }] : [];
  });
}

function toSpan(row: SpanRow): Span {
  const { scopeName, scopeVersion, eventTimes, eventNames, eventAttributes, linkTraceIds, linkSpanIds, linkAttributes, ...span } =
    row;
  return {
    ...span,
    scope: { name: scopeName, version: scopeVersion },
    events: eventTimes.map((timeMs, i) => ({ timeMs, name: eventNames[i] ?? '', attributes: eventAttributes[i] ?? {} })),
    links: linkTraceIds.map((traceId, i) => ({
      traceId,
      spanId: linkSpanIds[i] ?? '',
      attributes: linkAttributes[i] ?? {},
    })),
  };
}

/**
 * Trace search: traces having at least one span that satisfies every filter (as Jaeger does),
 * summarised over all their spans. One trace by id is in `traceView.ts`.
 */
import { z } from 'zod';
import { join, sql } from '@/lib/clickhouse/sql';
import { serviceName, timeRangeFields } from '../input';
import { hasTable } from './capabilities';
import { spanKinds } from './services';
import { epochMs, selectRows, table, type QueryStore } from '../clickhouse/selectRows';
import type { TraceSummary } from '@/lib/contract/traces';

/** A trace (32) or span (16) id as hexadecimal text, in any case; lower-cased as the store keeps it. */
export const hexIdField = (length: number) =>
  z
    .string()
    .trim()
    .regex(new RegExp(`^[0-9a-fA-F]{${length}}$`), `must be ${length} hexadecimal characters`)
    .transform((id) => id.toLowerCase());

export const traceIdField = hexIdField(32);

const attributeFilter = z
  .string()
  .regex(/^[^=]+=.*$/, 'must look like key=value')
  .transform((text) => {
    const at = text.indexOf('=');
    return { key: text.slice(0, at).trim(), value: text.slice(at + 1) };
  });

const durationMs = z.coerce.number({ error: 'must be a number of milliseconds' }).min(0, 'must not be negative');

export const traceSearchInput = z
  .object({
    ...timeRangeFields,
    service: serviceName.optional(),
    operation: z.string().min(1).max(1024).optional(),
    minDurationMs: durationMs.optional(),
    maxDurationMs: durationMs.optional(),
    status: z.enum(['error', 'ok'], { error: 'must be error or ok' }).optional(),
    kind: z.enum(spanKinds, { error: `must be one of ${spanKinds.join(', ')}` }).optional(),
    attr: z.array(attributeFilter).max(10, 'at most 10 attribute filters').optional(),
    traceId: traceIdField.optional(),
    limit: z.coerce.number().int().min(1).max(1000, 'must be at most 1000').default(100),
  })
  .refine((input) => input.minDurationMs === undefined || input.maxDurationMs === undefined || input.minDurationMs <= input.maxDurationMs, {
    path: ['maxDurationMs'],
    message: 'must not be less than minDurationMs',
  });
export type TraceSearchInput = z.input<typeof traceSearchInput>;
export type TraceSearch = z.output<typeof traceSearchInput>;
/** The query-string keys of a trace search that may repeat. */
export const traceSearchArrayKeys = ['attr'] as const;

export const traceIdInput = z.object({ traceId: traceIdField });

/** The conditions on a span besides the time range. */
function spanConditions(input: TraceSearch) {
  const conditions = [];
  if (input.service) conditions.push(sql`ServiceName = ${input.service}`);
  if (input.operation) conditions.push(sql`SpanName = ${input.operation}`);
  if (input.minDurationMs !== undefined) conditions.push(sql`Duration >= ${Math.round(input.minDurationMs * 1e6)}`);
  if (input.maxDurationMs !== undefined) conditions.push(sql`Duration <= ${Math.round(input.maxDurationMs * 1e6)}`);
  if (input.status === 'error') conditions.push(sql`StatusCode = 'Error'`);
  if (input.status === 'ok') conditions.push(sql`StatusCode != 'Error'`);
  if (input.kind) conditions.push(sql`SpanKind = ${input.kind}`);
  if (input.traceId) conditions.push(sql`TraceId = ${input.traceId}`);
  for (const { key, value } of input.attr ?? []) {
    // The `key=value` items columns are what the contrib text indexes cover: the index answers the
    // condition without reading the maps (≈ 40 against 150 ms over an hour of 10M spans a day).
    const item = `${key}=${value}`;
    conditions.push(sql`(has(SpanAttributeItems, ${item}) OR has(ResourceAttributeItems, ${item}))`);
  }
  return conditions;
}

/** How many newest matching spans a search reads to find its traces: `limit` traces × this. */
const spansPerTraceScanned = 20;
/** The same for the rows of faultline_trace_times, about one per trace and second. */
const timeRowsPerTraceScanned = 4;

/**
 * The newest traces with a span matching every filter, folded from the newest matching spans (a top-N
 * read, far cheaper than grouping every match by trace). A trace with more matching spans (or rows)
 * than scanned per trace on average can crowd out older ones, so a search may return fewer than
 * `limit` traces, but never wrong or out-of-order ones.
 */
export async function searchTraces(store: QueryStore, input: TraceSearch): Promise<TraceSummary[]> {
  const conditions = spanConditions(input);
  const listsTimes = conditions.length === 0 && input.to - input.from >= 1000 && (await hasTable(store, 'faultline_trace_times'));
  const matches = await selectRows<{ traceId: string }>(
    store,
    listsTimes
      ? // Exact for ranges of a second or more (see the table's DDL); a row whose last span starts after
        // the range is ranked by its first, which lies inside.
        sql`
          SELECT TraceId AS traceId
          FROM (
            SELECT TraceId, if(Last < fromUnixTimestamp64Milli(${input.to}), Last, First) AS Newest
            FROM ${table(store, 'faultline_trace_times')}
            WHERE Last >= fromUnixTimestamp64Milli(${input.from}) AND Last < fromUnixTimestamp64Milli(${input.to + 1000})
              AND (Last < fromUnixTimestamp64Milli(${input.to})
                OR First >= fromUnixTimestamp64Milli(${input.from}) AND First < fromUnixTimestamp64Milli(${input.to}))
            ORDER BY Last DESC
            LIMIT ${input.limit * timeRowsPerTraceScanned}
          )
          GROUP BY TraceId
          ORDER BY max(Newest) DESC
          LIMIT ${input.limit}`
      : sql`
          SELECT TraceId AS traceId
          FROM (
            SELECT TraceId, Timestamp FROM ${table(store, 'otel_traces')}
            WHERE ${join(
              [sql`Timestamp >= fromUnixTimestamp64Milli(${input.from}) AND Timestamp < fromUnixTimestamp64Milli(${input.to})`, ...conditions],
              ' AND ',
            )}
            ORDER BY Timestamp DESC
            LIMIT ${input.limit * spansPerTraceScanned}
          )
          GROUP BY TraceId
          ORDER BY max(Timestamp) DESC
          LIMIT ${input.limit}`,
  );
  return summariseTraces(
    store,
    matches.map((match) => match.traceId),
  );
}

async function summariseTraces(store: QueryStore, traceIds: string[]): Promise<TraceSummary[]> {
  if (traceIds.length === 0) return [];
  const rows = (await hasTable(store, 'faultline_trace_summaries'))
    ? await selectRows<TraceSummary>(
        store,
        // One small granule per id and part of a table ordered by TraceId (see lib/clickhouse/ddl/views/).
        sql`
          SELECT TraceId AS traceId, ${epochMs('start')} AS startMs,
            (toUnixTimestamp64Nano(max(End)) - toUnixTimestamp64Nano(min(Start))) / 1e6 AS durationMs,
            min(Root) AS root, root.3 AS rootService, root.4 AS rootOperation,
            sum(SpanCount) AS spanCount, sum(ErrorCount) AS errorCount,
            arraySort(groupUniqArrayArray(Services)) AS services, min(Start) AS start
          FROM ${table(store, 'faultline_trace_summaries')}
          WHERE TraceId IN ${traceIds}
          GROUP BY TraceId`,
      )
    : await selectRows<TraceSummary>(
        store,
        // Without the view: the traces' spans, found through the TraceId index within their bounds.
        sql`
          WITH (SELECT (min(Start), max(End) + 1) FROM ${table(store, 'otel_traces_trace_id_ts')} WHERE TraceId IN ${traceIds}) AS bounds
          SELECT TraceId AS traceId,
            min(${epochMs('Timestamp')}) AS startMs,
            (max(toUnixTimestamp64Nano(Timestamp) + Duration) - min(toUnixTimestamp64Nano(Timestamp))) / 1e6 AS durationMs,
            if(countIf(ParentSpanId = '') > 0, argMinIf(ServiceName, Timestamp, ParentSpanId = ''), argMin(ServiceName, Timestamp)) AS rootService,
            if(countIf(ParentSpanId = '') > 0, argMinIf(SpanName, Timestamp, ParentSpanId = ''), argMin(SpanName, Timestamp)) AS rootOperation,
            count() AS spanCount, countIf(StatusCode = 'Error') AS errorCount,
            arraySort(groupUniqArray(ServiceName)) AS services
          FROM ${table(store, 'otel_traces')}
          WHERE TraceId IN ${traceIds} AND Timestamp >= bounds.1 AND Timestamp < bounds.2
          GROUP BY TraceId`,
      );
  return rows
    .map(({ traceId, startMs, durationMs, rootService, rootOperation, spanCount, errorCount, services }) => ({
      traceId, startMs, durationMs, rootService, rootOperation, spanCount, errorCount, services,
    }))
    .sort((a, b) => b.startMs - a.startMs);
}

/**
 * A scalar `(first start, last start + 1 s)` of one trace (or of several together) from the lookup
 * table, which keeps whole seconds; for unknown traces both ends are the epoch and the read it bounds
 * finds nothing.
 */
export function traceBounds(store: QueryStore, ids: string | readonly string[]) {
  return sql`(SELECT (min(Start), max(End) + 1) FROM ${table(store, 'otel_traces_trace_id_ts')} WHERE ${isTrace(ids)})`;
}

/** `TraceId` is the one id, or one of the ids. */
export function isTrace(ids: string | readonly string[]) {
  return typeof ids === 'string' ? sql`TraceId = ${ids}` : sql`TraceId IN ${[...ids]}`;
}

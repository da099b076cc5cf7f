/**
 * The logs explorer's questions: matching log lines newest first, a page at a time, and their volume
 * by severity over time. OTLP logs and JSON lines land in the same `otel_logs` rows, so one search
 * covers both.
 *
 * Paging uses a cursor on `Timestamp` rather than an offset, so a page stays cheap however deep the
 * user scrolls and new lines arriving at the top don't shift it. Lines can share a timestamp (JSON
 * loggers write milliseconds), so the cursor also counts the lines of its timestamp already shown,
 * and ties are broken by a hash so that count always skips the same lines.
 */
import { z } from 'zod';
import { join, param, sql } from '@/lib/clickhouse/sql';
import { pickStepSeconds, serviceName, timeRangeFields } from '../input';
import { epochMs, selectRows, table, type QueryStore } from '../clickhouse/selectRows';
import { bucketTimes } from './services';
import { traceIdInput, traceSearchInput } from './traceSearch';
import { severityLevels, type LogLine, type LogPage, type LogVolume, type LogVolumePoint, type SeverityLevel } from '@/lib/contract/logs';

// SeverityNumber 0 → 0 (unset), 1–4 → 1 (trace), …, 21–24 → 6 (fatal): an index into severityLevels.
const levelIndex = sql`intDiv(SeverityNumber + 3, 4)`;

const cursor = z
  .string()
  .regex(/^\d{1,20}\.\d{1,6}$/, 'must be a cursor returned by a previous page')
  .transform((text) => {
    const [ns, seen] = text.split('.');
    return { ns: ns as string, seen: Number(seen) };
  });

export const logFilterFields = {
  ...timeRangeFields,
  q: z.string().trim().min(1).max(1024, 'must be at most 1024 characters').optional(),
  severity: z.array(z.enum(severityLevels, { error: `must be one of ${severityLevels.join(', ')}` })).optional(),
  service: serviceName.optional(),
  attr: traceSearchInput.shape.attr,
  traceId: traceIdInput.shape.traceId.optional(),
};

export const logSearchInput = z.object({
  ...logFilterFields,
  cursor: cursor.optional(),
  limit: z.coerce.number().int().min(1).max(500, 'must be at most 500').default(100),
});
export const logVolumeInput = z.object(logFilterFields);
/** The query-string keys of a log search that may repeat. */
export const logSearchArrayKeys = ['attr', 'severity'] as const;

export type LogSearch = z.output<typeof logSearchInput>;
export type LogFilters = z.output<typeof logVolumeInput>;

/** `Body` contains the text, ignoring case; LIKE on `lower(Body)` lets the token bloom filter skip granules. */
function containsText(text: string) {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql`lower(Body) LIKE ${pattern}`;
}

function logFilters(input: LogFilters) {
  const conditions = [
    sql`Timestamp >= fromUnixTimestamp64Milli(${input.from}) AND Timestamp < fromUnixTimestamp64Milli(${input.to})`,
  ];
  if (input.q) conditions.push(containsText(input.q));
  if (input.severity?.length) {
    conditions.push(sql`has(${param(input.severity.map((level) => severityLevels.indexOf(level)), 'Array(UInt8)')}, ${levelIndex})`);
  }
  if (input.service) conditions.push(sql`ServiceName = ${input.service}`);
  if (input.traceId) conditions.push(sql`TraceId = ${input.traceId}`);
  for (const { key, value } of input.attr ?? []) {
    conditions.push(sql`(LogAttributes[${key}] = ${value} OR ResourceAttributes[${key}] = ${value})`);
  }
  return join(conditions, ' AND ');
}

export async function searchLogs(store: QueryStore, input: LogSearch): Promise<LogPage> {
  const conditions = [logFilters(input)];
  if (input.cursor) conditions.push(sql`Timestamp <= fromUnixTimestamp64Nano(${param(input.cursor.ns, 'Int64')})`);
  const lines = await selectRows<LogLine>(
    store,
    sql`
      SELECT ${epochMs('Timestamp')} AS timeMs, toString(toUnixTimestamp64Nano(Timestamp)) AS timeNs,
        ServiceName AS service, SeverityText AS severityText, SeverityNumber AS severityNumber, Body AS body,
        TraceId AS traceId, SpanId AS spanId, LogAttributes AS attributes, ResourceAttributes AS resource
      FROM ${table(store, 'otel_logs')}
      WHERE ${join(conditions, ' AND ')}
      ORDER BY Timestamp DESC, cityHash64(ServiceName, SpanId, Body) DESC
      LIMIT ${input.cursor?.seen ?? 0}, ${input.limit}`,
  );
  return { lines, nextCursor: lines.length < input.limit ? null : nextCursor(lines, input.cursor) };
}

/** The last line's timestamp, and how many lines of that timestamp the pages so far have shown. */
function nextCursor(lines: LogLine[], previous: { ns: string; seen: number } | undefined): string {
  const last = (lines[lines.length - 1] as LogLine).timeNs;
  const tied = lines.filter((line) => line.timeNs === last).length;
  const seenBefore = previous?.ns === last ? previous.seen : 0;
  return `${last}.${seenBefore + tied}`;
}

type VolumeRow = { time: number; level: number; lines: number };

export async function getLogVolume(store: QueryStore, input: LogFilters): Promise<LogVolume> {
  const stepSeconds = pickStepSeconds(input, 60);
  const rows = await selectRows<VolumeRow>(
    store,
    sql`
      SELECT toUnixTimestamp(toStartOfInterval(Timestamp, toIntervalSecond(${stepSeconds}))) * 1000 AS time,
        ${levelIndex} AS level, count() AS lines
      FROM ${table(store, 'otel_logs')}
      WHERE ${logFilters(input)}
      GROUP BY time, level`,
  );
  const points = new Map(bucketTimes(input, stepSeconds).map((time) => [time, emptyPoint(time)]));
  for (const row of rows) {
    const point = points.get(row.time);
    const level = severityLevels[Math.min(row.level, severityLevels.length - 1)] as SeverityLevel;
    if (point) point[level] += row.lines;
  }
  return { stepSeconds, points: [...points.values()] };
}

function emptyPoint(time: number): LogVolumePoint {
  return { time, ...(Object.fromEntries(severityLevels.map((level) => [level, 0])) as Record<SeverityLevel, number>) };
}

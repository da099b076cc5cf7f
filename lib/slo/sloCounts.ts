/**
 * The SLO questions, answered from the per-minute counts in `faultline_slo_minutes` (never from raw
 * spans): total and bad requests over windows ending now, the same per bucket over a range for the
 * burn-rate chart, and a few failing traces to show beside a firing alert.
 *
 * The spans of an SLO are its operation's, or without one its service's entry spans (Server, Consumer).
 * A span is bad when it is an error (availability) or took longer than the threshold (latency).
 * Windows are whole minutes ending with the current, partial one.
 */
import { join, sql } from '@/lib/clickhouse/sql';
import { lastGoodBucket } from '@/lib/slo/buckets';
import type { SloDefinition } from '@/lib/contract/slo';
import { pickStepSeconds, type TimeRange } from '../input';
import { selectRows, table, type QueryStore } from '../clickhouse/selectRows';
import { bucketTimes } from '../queries/services';

export type SloTarget = Pick<SloDefinition, 'service' | 'operation' | 'objective' | 'thresholdMs'>;
export type WindowCounts = { windowMs: number; total: number; bad: number };
export type CountsPoint = { time: number; total: number; bad: number };

function badSpans(slo: SloTarget) {
  if (slo.objective === 'availability') return sql`sum(Errors)`;
  return sql`sumIf(Spans, DurationBucket > ${lastGoodBucket(slo.thresholdMs as number)})`;
}

/** An operation's spans of any kind (a client call can have an SLO); else the service's requests, its entry spans. */
function sloSpans(slo: SloTarget) {
  const spans = slo.operation ? sql`SpanName = ${slo.operation}` : sql`SpanKind IN ('Server', 'Consumer')`;
  return sql`ServiceName = ${slo.service} AND ${spans}`;
}

/** The minutes of a range, the first one's partial minute included. */
function minutes({ from, to }: TimeRange) {
  return sql`Minute >= toStartOfMinute(fromUnixTimestamp64Milli(${from})) AND Minute < fromUnixTimestamp64Milli(${to})`;
}

/** Total and bad requests in each window ending at `nowMs`, in one read of the longest window. */
export async function getWindowCounts(store: QueryStore, slo: SloTarget, windowsMs: readonly number[], nowMs: number): Promise<WindowCounts[]> {
  const longest = Math.max(...windowsMs);
  const inWindow = windowsMs.map((windowMs) => sql`Minute >= toStartOfMinute(fromUnixTimestamp64Milli(${nowMs - windowMs}))`);
  const [row] = await selectRows<{ totals: number[]; bads: number[] }>(
    store,
    sql`
      SELECT [${join(inWindow.map((condition) => sql`sumIf(total, ${condition})`), ', ')}] AS totals,
        [${join(inWindow.map((condition) => sql`sumIf(bad, ${condition})`), ', ')}] AS bads
      FROM (
        SELECT Minute, sum(Spans) AS total, ${badSpans(slo)} AS bad
        FROM ${table(store, 'faultline_slo_minutes')}
        WHERE ${sloSpans(slo)} AND ${minutes({ from: nowMs - longest, to: nowMs + 1 })}
        GROUP BY Minute
      )`,
  );
  return windowsMs.map((windowMs, i) => ({ windowMs, total: Number(row?.totals[i] ?? 0), bad: Number(row?.bads[i] ?? 0) }));
}

/** Total and bad requests per bucket over the range; empty buckets are zeros. */
export async function getCountsSeries(store: QueryStore, slo: SloTarget, range: TimeRange): Promise<{ stepSeconds: number; points: CountsPoint[] }> {
  const stepSeconds = Math.max(60, pickStepSeconds(range));
  const rows = await selectRows<CountsPoint>(
    store,
    sql`
      SELECT toUnixTimestamp(toStartOfInterval(Minute, toIntervalSecond(${stepSeconds}))) * 1000 AS time,
        sum(Spans) AS total, ${badSpans(slo)} AS bad
      FROM ${table(store, 'faultline_slo_minutes')}
      WHERE ${sloSpans(slo)} AND ${minutes(range)}
      GROUP BY time`,
  );
  const byTime = new Map(rows.map((row) => [row.time, row]));
  return { stepSeconds, points: bucketTimes(range, stepSeconds).map((time) => byTime.get(time) ?? { time, total: 0, bad: 0 }) };
}

/** A few recent traces with a bad request of the SLO, newest first: what a firing alert links to. */
export async function listFailingTraces(store: QueryStore, slo: SloTarget, range: TimeRange, limit = 5): Promise<string[]> {
  const bad = slo.objective === 'availability' ? sql`StatusCode = 'Error'` : sql`Duration > ${(slo.thresholdMs as number) * 1_000_000}`;
  const conditions = [
    sloSpans(slo),
    sql`Timestamp >= fromUnixTimestamp64Milli(${range.from}) AND Timestamp < fromUnixTimestamp64Milli(${range.to})`,
    bad,
  ];
  const rows = await selectRows<{ traceId: string }>(
    store,
    sql`
      SELECT TraceId AS traceId FROM ${table(store, 'otel_traces')}
      WHERE ${join(conditions, ' AND ')}
      ORDER BY Timestamp DESC
      LIMIT 1 BY TraceId
      LIMIT ${limit}`,
  );
  return rows.map((row) => row.traceId);
}

/**
 * Per-service totals and latency histograms over a range, read from `faultline_service_rollup`
 * (hour rows for the whole hours, minute rows for the whole minutes around them) and from the raw
 * spans only for the seconds at the range's edges, so any range is counted exactly and a day costs a
 * few hundred rows per service instead of every span. Without the rollup (a cluster, or a store whose
 * views aren't created yet) the whole range is read from the raw spans, with the same histogram.
 * The split (`rollupSegments`, `rollupUnion`) serves the findings' rollups too (lib/findings/spanRows.ts).
 */
import { join, sql, type SqlFragment } from '@/lib/clickhouse/sql';
import { hasTable } from './capabilities';
import type { TimeRange } from '../input';
import { table, type QueryStore } from '../clickhouse/selectRows';
import type { TableName } from '../clickhouse/tables';

export type RollupSource = 'spans' | 60 | 3600;
export type RollupSegment = { source: RollupSource; from: number; to: number };

const minute = 60_000;
const hour = 3_600_000;

/**
 * Splits [from, to) into the raw edges, the whole minutes and the whole hours inside it. Segments are
 * contiguous, in time order, and never empty.
 */
export function rollupSegments({ from, to }: TimeRange): RollupSegment[] {
  const ceil = (time: number, step: number) => Math.ceil(time / step) * step;
  const floor = (time: number, step: number) => Math.floor(time / step) * step;
  const firstMinute = ceil(from, minute);
  const lastMinute = floor(to, minute);
  if (firstMinute >= lastMinute) return [{ source: 'spans', from, to }];
  const firstHour = ceil(firstMinute, hour);
  const lastHour = floor(lastMinute, hour);
  const cuts: [RollupSource, number, number][] =
    firstHour < lastHour
      ? [
          ['spans', from, firstMinute],
          [60, firstMinute, firstHour],
          [3600, firstHour, lastHour],
          [60, lastHour, lastMinute],
          ['spans', lastMinute, to],
        ]
      : [
          ['spans', from, firstMinute],
          [60, firstMinute, lastMinute],
          ['spans', lastMinute, to],
        ];
  return cuts.filter(([, start, end]) => start < end).map(([source, start, end]) => ({ source, from: start, to: end }));
}

export type ServiceTotals = {
  service: string;
  spans: number;
  requests: number;
  errors: number;
  /** Entry-span counts by bucket index (see `bucketMs`). */
  latency: Record<string, number>;
};

/**
 * The rows of `rollup` over a range as one `UNION ALL`: `raw` selects from the spans of the range's
 * edges (or of the whole range without the rollup, as on a cluster), `rolledUp` from the rollup's
 * minute and hour rows for the rest; each gets its segments as one condition, OR-ed (each subquery has
 * a fixed cost of its own). Both must select the same columns. A rollup that keeps a row per span time
 * too (`Step = 0`, `Start` the span's own timestamp) answers the edges as well, without the spans:
 * their attribute maps, read a granule per service and operation, can cost more than the rest.
 */
export async function rollupUnion(
  store: QueryStore,
  rollup: TableName,
  range: TimeRange,
  raw: (inRanges: SqlFragment) => SqlFragment,
  rolledUp: (inRanges: SqlFragment) => SqlFragment,
  { spanRows = false } = {},
): Promise<SqlFragment> {
  const rolled = await hasTable(store, rollup);
  const segments = rolled ? rollupSegments(range) : [{ source: 'spans' as const, ...range }];
  const fromSpans = segments.filter((segment) => segment.source === 'spans' && !(rolled && spanRows));
  const fromRows = segments.filter((segment) => !fromSpans.includes(segment));
  const spanRanges = fromSpans.map(({ from, to }) => sql`(Timestamp >= fromUnixTimestamp64Milli(${from}) AND Timestamp < fromUnixTimestamp64Milli(${to}))`);
  const rowRanges = fromRows.map(({ source, from, to }) =>
    source === 'spans'
      ? sql`(Step = 0 AND Start >= fromUnixTimestamp64Milli(${from}) AND Start < fromUnixTimestamp64Milli(${to}))`
      : sql`(Step = ${source} AND Start >= toDateTime(${from / 1000}) AND Start < toDateTime(${to / 1000}))`,
  );
  const parts = [...(spanRanges.length > 0 ? [raw(join(spanRanges, ' OR '))] : []), ...(rowRanges.length > 0 ? [rolledUp(join(rowRanges, ' OR '))] : [])];
  return join(parts, ' UNION ALL ');
}

const isEntry = sql`SpanKind IN ('Server', 'Consumer')`;

export async function serviceTotalsQuery(store: QueryStore, range: TimeRange): Promise<SqlFragment> {
  const sources = await rollupUnion(
    store,
    'faultline_service_rollup',
    range,
    (inRanges) => sql`
      SELECT ServiceName, count() AS spans, countIf(${isEntry}) AS requests, countIf(${isEntry} AND StatusCode = 'Error') AS errors,
        sumMapIf(map(toInt16(ceil(log2(greatest(Duration, 1)) * 32) - 1), toUInt64(1)), ${isEntry}) AS latency
      FROM ${table(store, 'otel_traces')}
      WHERE ${inRanges}
      GROUP BY ServiceName`,
    (inRanges) => sql`
      SELECT ServiceName, sum(Spans) AS spans, sum(Requests) AS requests, sum(Errors) AS errors, sumMap(Latency) AS latency
      FROM ${table(store, 'faultline_service_rollup')}
      WHERE ${inRanges}
      GROUP BY ServiceName`,
  );
  return sql`
    SELECT ServiceName AS service, sum(spans) AS spans, sum(requests) AS requests, sum(errors) AS errors, sumMap(latency) AS latency
    FROM (${sources})
    GROUP BY ServiceName
    ORDER BY ServiceName`;
}

/** The geometric middle of bucket `index`, in milliseconds: within 1.1% of any duration in it. */
export function bucketMs(index: number): number {
  return 2 ** ((index + 0.5) / 32) / 1e6;
}

/**
 * Nearest-rank percentiles of a bucket histogram: for each level q, the bucket holding the
 * ceil(q × n)-th smallest duration. Null for an empty histogram.
 */
export function histogramPercentiles(latency: Record<string, number>, levels: readonly number[]): (number | null)[] {
  const buckets = Object.entries(latency)
    .map(([index, count]) => [Number(index), count] as const)
    .filter(([, count]) => count > 0)
    .sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((sum, [, count]) => sum + count, 0);
  return levels.map((level) => {
    if (total === 0) return null;
    const rank = Math.max(1, Math.ceil(level * total));
    let seen = 0;
    for (const [index, count] of buckets) {
      seen += count;
      if (seen >= rank) return bucketMs(index);
    }
    return null;
  });
}

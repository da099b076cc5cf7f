/**
 * The circuit-breaker metric points of a range, with the attributes the breaker queries need as
 * columns: `service`, `name` (`resilience.policy.name`), `peer`, `outcome`, `instance`
 * (`service.instance.id`), `StartTimeUnix`, `TimeUnix`, `Value`, `AggregationTemporality`. Read from
 * `faultline_breaker_points` where the view exists (a narrow table in series order), else from the
 * contrib metric tables, decoding each point's attribute maps. The calls counter also has a per-minute
 * rollup, `faultline_breaker_calls_minute`, which `breakers.ts` reads for long ranges; it then asks
 * here only for the points at the edges (`skip`).
 */
import { join, sql, type SqlFragment } from '@/lib/clickhouse/sql';
import { hasTable } from './capabilities';
import type { TimeRange } from '../input';
import { table, type QueryStore } from '../clickhouse/selectRows';

export const stateMetric = 'resilience.circuit_breaker.state';
export const callsMetric = 'resilience.circuit_breaker.calls';
/** How far before the range to look for a counter's previous point or a state already in force. */
export const lookbackSeconds = 600;

const sources = { [stateMetric]: 'otel_metrics_gauge', [callsMetric]: 'otel_metrics_sum' } as const;

/** A subquery of the metric's points in the range and the lookback before it, less those in `skip` (read elsewhere). */
export async function breakerPoints(store: QueryStore, metric: keyof typeof sources, range: TimeRange, skip?: TimeRange): Promise<SqlFragment> {
  const from = range.from - lookbackSeconds * 1000;
  const spans = skip ? [{ from, to: skip.from }, { from: skip.to, to: range.to }] : [{ from, to: range.to }];
  const inSpans = spans.map((span) => sql`(TimeUnix >= fromUnixTimestamp64Milli(${span.from}) AND TimeUnix < fromUnixTimestamp64Milli(${span.to}))`);
  const inRange = sql`MetricName = ${metric} AND (${join(inSpans, ' OR ')})`;
  if (await hasTable(store, 'faultline_breaker_points')) {
    return sql`(
      SELECT ServiceName AS service, Name AS name, Peer AS peer, Outcome AS outcome, Instance AS instance,
        StartTimeUnix, TimeUnix, Value, AggregationTemporality
      FROM ${table(store, 'faultline_breaker_points')}
      WHERE ${inRange})`;
  }
  const temporality = metric === callsMetric ? sql`AggregationTemporality` : sql`0`;
  return sql`(
    SELECT ServiceName AS service, Attributes['resilience.policy.name'] AS name, Attributes['peer.service'] AS peer,
      Attributes['outcome'] AS outcome, ResourceAttributes['service.instance.id'] AS instance,
      StartTimeUnix, TimeUnix, Value, ${temporality} AS AggregationTemporality
    FROM ${table(store, sources[metric])}
    WHERE ${inRange})`;
}

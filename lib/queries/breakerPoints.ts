/**
 * The circuit-breaker metric points of a range, with the attributes the breaker queries need as
 * columns: `service`, `name` (`resilience.policy.name`), `peer`, `outcome`, `instance`
 * (`service.instance.id`), `StartTimeUnix`, `TimeUnix`, `Value`, `AggregationTemporality`. Read from
 * `faultline_breaker_points` where the view exists (a narrow table in series order), else from the
 * contrib metric tables, decoding each point's attribute maps.
 */
import { sql, type SqlFragment } from '@/lib/clickhouse/sql';
import { hasTable } from './capabilities';
import type { TimeRange } from './input';
import { table, type QueryStore } from './run';

export const stateMetric = 'resilience.circuit_breaker.state';
export const callsMetric = 'resilience.circuit_breaker.calls';
/** How far before the range to look for a counter's previous point or a state already in force. */
export const lookbackSeconds = 600;

const sources = { [stateMetric]: 'otel_metrics_gauge', [callsMetric]: 'otel_metrics_sum' } as const;

/** A subquery of the metric's points in the range and the lookback before it. */
export async function breakerPoints(store: QueryStore, metric: keyof typeof sources, range: TimeRange): Promise<SqlFragment> {
  const inRange = sql`MetricName = ${metric} AND TimeUnix >= fromUnixTimestamp64Milli(${range.from - lookbackSeconds * 1000})
    AND TimeUnix < fromUnixTimestamp64Milli(${range.to})`;
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

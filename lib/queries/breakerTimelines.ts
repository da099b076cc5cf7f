/**
 * Circuit-breaker state over time, from the `resilience.circuit_breaker.state` gauge's changes and the
 * exact moments of `resilience.circuit_breaker.state_change` log records, folded into segments.
 */
import { z } from 'zod';
import { join, sql, type SqlFragment } from '@/lib/clickhouse/sql';
import { stateFromGauge, stateFromWord, toSegments, transitionsOf, type StateChange } from './breakerStates';
import { breakerPoints, lookbackSeconds, stateMetric } from './breakerPoints';
import { hasFunction } from './capabilities';
import { serviceName, timeRangeFields } from '../input';
import { selectRows, table, type QueryStore } from '../clickhouse/selectRows';
import type { BreakerTimeline } from '@/lib/contract/breakers';

export const breakerTimelineInput = z.object({
  ...timeRangeFields,
  service: serviceName.optional(),
  name: z.string().min(1).max(512).optional(),
});
export type BreakerTimelineInput = z.infer<typeof breakerTimelineInput>;

const stateChangeEvent = 'resilience.circuit_breaker.state_change';
/** A breaker's identity: the owning service and its `resilience.policy.name`. */
export const breakerKey = (service: string, name: string) => `${service}\u0000${name}`;

type ChangeRow = { service: string; name: string; timeMs: number; state: number | null; word: string | null; peer: string | null; last: number };

/** A breaker's latest state gauge report in the range (with the lookback before it). */
export type LatestReport = { service: string; name: string; peer: string; state: number; lastReportMs: number };

/**
 * State over the range for every breaker (or one): the gauge's change points, plus the exact moments
 * from transition log records, since a half-open spell can begin and end between two gauge exports.
 */
export async function getBreakerTimelines(store: QueryStore, input: BreakerTimelineInput): Promise<BreakerTimeline[]> {
  return (await readBreakerStates(store, input)).timelines;
}

/**
 * The timelines, and each breaker's latest gauge report (for the board's state now), from one read of
 * the gauge points: its change points plus each series' last point.
 */
export async function readBreakerStates(store: QueryStore, input: BreakerTimelineInput): Promise<{ timelines: BreakerTimeline[]; latest: LatestReport[] }> {
  const gaugeFilters = [sql`1`];
  // `hasAllTokens` is answered from the `text` index on `lower(Body)` (ClickHouse 26.2 and later)
  // without reading the bodies: ~15 ms instead of ~120 ms over a day of 2M log lines.
  const bodyMatch = (await hasFunction(store, 'hasAllTokens'))
    ? sql`hasAllTokens(lower(Body), ${stateChangeEvent})`
    : sql`Body = ${stateChangeEvent}`;
  const logFilters = [
    sql`Timestamp >= fromUnixTimestamp64Milli(${input.from - lookbackSeconds * 1000}) AND Timestamp < fromUnixTimestamp64Milli(${input.to})`,
  ];
  if (input.service) {
    gaugeFilters.push(sql`service = ${input.service}`);
    logFilters.push(sql`ServiceName = ${input.service}`);
  }
  if (input.name) {
    gaugeFilters.push(sql`name = ${input.name}`);
    logFilters.push(sql`name = ${input.name}`);
  }
  // SDK log bridges set EventName; logging libraries (pino here) carry the event as the message. Two
  // selects rather than an OR, so that each condition is answered from its own index.
  const transitionRecords = (match: SqlFragment) => sql`
    SELECT ServiceName AS service,
      coalesce(nullIf(LogAttributes['resilience.policy.name'], ''), LogAttributes['resilience.circuit_breaker.name']) AS name,
      toUnixTimestamp64Milli(Timestamp) AS timeMs, NULL AS state, LogAttributes['to'] AS word, NULL AS peer, 0 AS last
    FROM ${table(store, 'otel_logs')}
    WHERE ${join([...logFilters, match], ' AND ')}`;
  const rows = await selectRows<ChangeRow>(
    store,
    sql`
      SELECT service, name, timeMs, state, NULL AS word, peer, last FROM (
        SELECT service, name, toUnixTimestamp64Milli(TimeUnix) AS timeMs, Value AS state, peer,
          lagInFrame(toNullable(Value)) OVER (PARTITION BY service, name ORDER BY TimeUnix
                                              ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS previous,
          TimeUnix = max(TimeUnix) OVER (PARTITION BY service, name) AS last
        FROM ${await breakerPoints(store, stateMetric, input)}
        WHERE ${join(gaugeFilters, ' AND ')}
      )
      WHERE previous IS NULL OR previous != state OR last
      UNION ALL ${transitionRecords(sql`EventName = ${stateChangeEvent}`)}
      UNION ALL ${transitionRecords(sql`${bodyMatch} AND EventName != ${stateChangeEvent}`)}`,
  );
  const changes = new Map<string, { service: string; name: string; points: StateChange[] }>();
  const latest = new Map<string, LatestReport>();
  for (const row of rows) {
    const id = breakerKey(row.service, row.name);
    if (row.last && row.state !== null) {
      latest.set(id, { service: row.service, name: row.name, peer: row.peer ?? '', state: row.state, lastReportMs: row.timeMs });
    }
    const entry = changes.get(id) ?? { service: row.service, name: row.name, points: [] };
    changes.set(id, entry);
    entry.points.push({ timeMs: row.timeMs, state: row.word === null ? stateFromGauge(row.state) : stateFromWord(row.word) });
  }
  const timelines = [...changes.values()].map(({ service, name, points }) => {
    const segments = toSegments(points, input.from, input.to);
    return { service, name, segments, transitions: transitionsOf(segments) };
  });
  return { timelines, latest: [...latest.values()] };
}

/**
 * The circuit-breaker questions, read from the `resilience.*` telemetry convention (docs/resilience-telemetry.md): the
 * state gauge `resilience.circuit_breaker.state`, the counter `resilience.circuit_breaker.calls` by
 * `outcome`, and `resilience.circuit_breaker.state_change` log records with `from` and `to`.
 *
 * A breaker is identified by the service that owns it and its `resilience.policy.name`. Counters may be
 * cumulative or delta (`AggregationTemporality` 2 or 1); both become per-point increments first, so every
 * sum below is a count of calls. Over ranges with minute buckets, the counter's whole minutes are read
 * from the per-minute rollup `faultline_breaker_calls_minute` and only the edges from the points. State
 * over time lives in `breakerTimelines.ts`.
 */
import { z } from 'zod';
import { join, sql, type SqlFragment } from '@/lib/clickhouse/sql';
import { pickStepSeconds, timeRangeFields, type TimeRange } from '../input';
import { stateFromGauge } from './breakerStates';
import { breakerPoints, callsMetric, lookbackSeconds } from './breakerPoints';
import { readBreakerSettings } from './breakerSettings';
import { breakerKey, readBreakerStates } from './breakerTimelines';
import { hasTable } from './capabilities';
import { selectRows, table, type QueryStore } from '../clickhouse/selectRows';
import type { BreakerState } from '../contract/breakers';
import type { BreakerBoard, BreakerSummary, CallStats, OutcomeCounts, SparkPoint } from '@/lib/contract/breakers';

export const breakersInput = z.object(timeRangeFields);
export type BreakersInput = z.infer<typeof breakersInput>;

/** The rolling window of the board's "now" figures, as Hystrix's is 10 s; telemetry exports are slower. */
export const windowSeconds = 60;

/**
 * The calls each counter series adds per bucket (split by the recent window, as `countCalls` groups).
 * A cumulative run's (`StartTimeUnix`; a restarted counter starts a new run) increase over a bucket is
 * its highest value there less its highest value in the run's previous bucket. The lookback before the
 * range is bucket 0, the previous bucket of the range's first. A run's first bucket counts from zero if
 * the run began in the lookback or range, else from its lowest value there.
 */
async function callIncrements(store: QueryStore, range: TimeRange, stepSeconds: number, recentFrom: number) {
  return sql`
    SELECT service, name, outcome, time, recent,
      multiIf(AggregationTemporality = 1, total,
              previousTop IS NULL, if(run >= fromUnixTimestamp64Milli(${range.from - lookbackSeconds * 1000}), top, top - bottom),
              top < previousTop, top,
              top - previousTop) AS increment
    FROM (
      SELECT service, name, outcome, time, recent, run, AggregationTemporality, top, bottom, total,
        lagInFrame(toNullable(top)) OVER (PARTITION BY service, name, outcome, instance, run
                                          ORDER BY time, recent ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS previousTop
      FROM (${await foldedCalls(store, range, stepSeconds, recentFrom)})
    )
    WHERE time > 0`;
}

/**
 * Each series' points folded per counter run, bucket and recent flag into their highest, lowest and
 * summed values, so only a few rows per series reach the window function. When buckets are whole
 * minutes, the minutes between the range's first whole minute and the recent window come from
 * `faultline_breaker_calls_minute`, and only the edges from the points: max, min and sum compose, so
 * the rows are those the points alone give.
 */
async function foldedCalls(store: QueryStore, range: TimeRange, stepSeconds: number, recentFrom: number): Promise<SqlFragment> {
  const stepMs = stepSeconds * 1000;
  const minutes = await rolledUpMinutes(store, range, stepSeconds, recentFrom);
  const parts = [
    sql`
      SELECT service, name, outcome, instance, StartTimeUnix AS run, AggregationTemporality,
        if(TimeUnix < fromUnixTimestamp64Milli(${range.from}), 0, intDiv(toUnixTimestamp64Milli(TimeUnix), ${stepMs}) * ${stepMs}) AS time,
        TimeUnix >= fromUnixTimestamp64Milli(${recentFrom}) AS recent, Value AS top, Value AS bottom, Value AS total
      FROM ${await breakerPoints(store, callsMetric, range, minutes)}`,
  ];
  if (minutes) {
    parts.push(sql`
      SELECT ServiceName AS service, Name AS name, Outcome AS outcome, Instance AS instance, StartTimeUnix AS run, AggregationTemporality,
        intDiv(toInt64(toUnixTimestamp(Minute)) * 1000, ${stepMs}) * ${stepMs} AS time, toUInt8(0) AS recent, Top AS top, Bottom AS bottom, Total AS total
      FROM ${table(store, 'faultline_breaker_calls_minute')}
      WHERE Minute >= toDateTime(${minutes.from / 1000}) AND Minute < toDateTime(${minutes.to / 1000})`);
  }
  return sql`
    SELECT service, name, outcome, instance, run, any(AggregationTemporality) AS AggregationTemporality, time, recent,
      max(top) AS top, min(bottom) AS bottom, sum(total) AS total
    FROM (${join(parts, ' UNION ALL ')})
    GROUP BY service, name, outcome, instance, run, time, recent`;
}

const minuteMs = 60_000;

/**
 * The whole minutes of [range.from, recentFrom), when each falls in one bucket and the rollup exists;
 * undefined when the points answer alone.
 */
async function rolledUpMinutes(store: QueryStore, range: TimeRange, stepSeconds: number, recentFrom: number): Promise<TimeRange | undefined> {
  const from = Math.ceil(range.from / minuteMs) * minuteMs;
  const to = Math.floor(recentFrom / minuteMs) * minuteMs;
  if ((stepSeconds * 1000) % minuteMs !== 0 || from >= to) return undefined;
  return (await hasTable(store, 'faultline_breaker_calls_minute')) ? { from, to } : undefined;
}

type CountRow = { service: string; name: string; time: number; recent: number } & OutcomeCounts;

/**
 * Calls by outcome per breaker and `stepSeconds` bucket, each bucket split in two by whether its points
 * fall in the board's recent window: one scan answers both the sparkline and the "now" figures.
 */
async function countCalls(store: QueryStore, range: TimeRange, stepSeconds: number, recentFrom: number): Promise<CountRow[]> {
  return selectRows<CountRow>(
    store,
    sql`
      SELECT service, name, time, recent, sumIf(increment, outcome = 'success') AS success, sumIf(increment, outcome = 'failure') AS failure,
        sumIf(increment, outcome = 'timeout') AS timeout, sumIf(increment, outcome = 'rejected') AS rejected
      FROM (${await callIncrements(store, range, stepSeconds, recentFrom)})
      GROUP BY service, name, time, recent
      ORDER BY time`,
  );
}

export async function listBreakers(store: QueryStore, input: BreakersInput): Promise<BreakerBoard> {
  const stepSeconds = pickStepSeconds(input, 60);
  const recentFrom = Math.max(input.from, input.to - windowSeconds * 1000);
  const [buckets, { timelines, latest: states }, settings] = await Promise.all([
    countCalls(store, input, stepSeconds, recentFrom),
    readBreakerStates(store, input),
    readBreakerSettings(store, input),
  ]);
  const board = new Map<string, BreakerSummary>();
  const summaryFor = (service: string, name: string) => {
    const id = breakerKey(service, name);
    const summary = board.get(id) ?? emptySummary(service, name);
    board.set(id, summary);
    return summary;
  };
  for (const row of states) {
    Object.assign(summaryFor(row.service, row.name), {
      peer: row.peer,
      state: stateFromGauge(row.state),
      lastReportMs: row.lastReportMs,
    });
  }
  for (const row of buckets) {
    const summary = summaryFor(row.service, row.name);
    addCounts(summary.total, row);
    if (row.recent) addCounts(summary.recent, row);
    addSparkPoint(summary.sparkline, row);
  }
  for (const timeline of timelines) {
    summaryFor(timeline.service, timeline.name).lastTransition = timeline.transitions.at(-1) ?? null;
  }
  const breakers = [...board.values()];
  for (const summary of breakers) {
    summary.configured = settings.get(breakerKey(summary.service, summary.name)) ?? summary.configured;
    finishStats(summary.total, (input.to - input.from) / 1000);
    finishStats(summary.recent, (input.to - recentFrom) / 1000);
  }
  return { windowSeconds, stepSeconds, breakers: breakers.sort(byAttention) };
}

/** Rows arrive in time order; a bucket split by the recent window comes as two rows of one time. */
function addSparkPoint(sparkline: SparkPoint[], row: CountRow): void {
  const point = { time: row.time, calls: callsOf(row), failures: row.failure + row.timeout, rejected: row.rejected };
  const last = sparkline.at(-1);
  if (last?.time !== row.time) {
    sparkline.push(point);
    return;
  }
  last.calls += point.calls;
  last.failures += point.failures;
  last.rejected += point.rejected;
}

function emptyStats(): CallStats {
  return { success: 0, failure: 0, timeout: 0, rejected: 0, calls: 0, callsPerSecond: 0, failureRate: 0 };
}

function emptySummary(service: string, name: string): BreakerSummary {
  return {
    service,
    name,
    peer: '',
    state: 'unknown',
    lastReportMs: 0,
    lastTransition: null,
    recent: emptyStats(),
    total: emptyStats(),
    sparkline: [],
    configured: { failureThreshold: null, halfOpenAfterMs: null },
  };
}

function callsOf(counts: OutcomeCounts): number {
  return counts.success + counts.failure + counts.timeout + counts.rejected;
}

function addCounts(stats: CallStats, counts: OutcomeCounts): void {
  stats.success += counts.success;
  stats.failure += counts.failure;
  stats.timeout += counts.timeout;
  stats.rejected += counts.rejected;
}

/**
 * Calls/s counts every call, rejected ones too; the failure rate is over the calls the breaker let
 * through (failures and timeouts among permitted calls), as resilience4j computes it.
 */
export function finishStats(stats: CallStats, seconds: number): void {
  stats.calls = callsOf(stats);
  stats.callsPerSecond = seconds > 0 ? stats.calls / seconds : 0;
  const permitted = stats.success + stats.failure + stats.timeout;
  stats.failureRate = permitted === 0 ? 0 : (stats.failure + stats.timeout) / permitted;
}

const attention: Record<BreakerState, number> = { open: 0, 'half-open': 1, closed: 2, unknown: 3 };

/** Open breakers first, then by failure rate and volume: what needs eyes now comes first. */
function byAttention(a: BreakerSummary, b: BreakerSummary): number {
  return (
    attention[a.state] - attention[b.state] ||
    b.recent.failureRate - a.recent.failureRate ||
    b.total.calls - a.total.calls ||
    a.service.localeCompare(b.service) ||
    a.name.localeCompare(b.name)
  );
}

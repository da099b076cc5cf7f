/**
 * The services questions: per-service request rate, error rate and latency percentiles over a range,
 * one service's series over time, its operations (with their figures, or just their names and span
 * kinds), and the services it calls and is called by.
 *
 * A service's "requests" are its entry spans: server and consumer spans. (Counting root spans of other
 * kinds too would mean reading `ParentSpanId` for every span, which nearly doubled the overview's time
 * at 10M spans.) The overview's figures come from the per-minute and per-hour rollup (serviceRollup.ts):
 * its percentiles are nearest-rank within 1.1%. A service's series and operations read the raw spans
 * with `quantiles`, which are exact linear interpolations while a group holds at most 8192 spans.
 */
import { z } from 'zod';
import { join, sql } from '@/lib/clickhouse/sql';
import { pickStepSeconds, serviceName, timeRangeFields, type TimeRange } from '../input';
import { selectRows, table, type QueryStore } from '../clickhouse/selectRows';
import { firstPeerKey, peerAttributes } from './peerAttributes';
import { histogramPercentiles, serviceTotalsQuery, type ServiceTotals } from './serviceRollup';
import type { Dependency, OperationKind, OperationSummary, Percentiles, ServiceDependencies, ServicePoint, ServiceSeries, ServiceSummary } from '@/lib/contract/services';

export const servicesInput = z.object(timeRangeFields);
export type ServicesInput = z.infer<typeof servicesInput>;

export const serviceInput = z.object({ ...timeRangeFields, service: serviceName });
export type ServiceInput = z.infer<typeof serviceInput>;

/**
 * Edges are read from at most the last hour of the range: joining span ids costs ~0.2 s per hour of
 * 10M-spans-a-day traffic and grows with the range (6 s for a day). A day-long map belongs in a
 * materialized edge view, which the service-map work will add.
 */
export const maxDependencyRangeMs = 3_600_000;

type StatsRow = { requests: number; errors: number; q: (number | null)[] };

function inRange(range: TimeRange) {
  return sql`Timestamp >= fromUnixTimestamp64Milli(${range.from}) AND Timestamp < fromUnixTimestamp64Milli(${range.to})`;
}

const isEntry = sql`SpanKind IN ('Server', 'Consumer')`;
const quantilesMs = (condition = sql`1`) =>
  sql`arrayMap(x -> x / 1e6, quantilesIf(0.5, 0.95, 0.99)(Duration, ${condition}))`;

function percentiles(q: (number | null)[]): Percentiles {
  // An empty group yields NaN, which ClickHouse writes to JSON as null.
  const pick = (i: number) => (typeof q[i] === 'number' && Number.isFinite(q[i]) ? (q[i] as number) : null);
  return { p50Ms: pick(0), p95Ms: pick(1), p99Ms: pick(2) };
}

function seconds(range: TimeRange): number {
  return (range.to - range.from) / 1000;
}

export async function listServices(store: QueryStore, input: ServicesInput): Promise<ServiceSummary[]> {
  const rows = await selectRows<ServiceTotals>(store, await serviceTotalsQuery(store, input));
  return rows.map((row) => {
    const [p50Ms = null, p95Ms = null, p99Ms = null] = histogramPercentiles(row.latency, [0.5, 0.95, 0.99]);
    return {
      service: row.service,
      requests: row.requests,
      errors: row.errors,
      requestRate: row.requests / seconds(input),
      errorRate: row.requests === 0 ? 0 : row.errors / row.requests,
      spans: row.spans,
      p50Ms,
      p95Ms,
      p99Ms,
    };
  });
}

export async function getServiceSeries(
  store: QueryStore,
  input: ServiceInput & { stepSeconds?: number },
): Promise<ServiceSeries> {
  const stepSeconds = input.stepSeconds ?? pickStepSeconds(input);
  const rows = await selectRows<StatsRow & { time: number }>(
    store,
    sql`
      SELECT toUnixTimestamp(toStartOfInterval(Timestamp, toIntervalSecond(${stepSeconds}))) * 1000 AS time,
        count() AS requests, countIf(StatusCode = 'Error') AS errors, ${quantilesMs()} AS q
      FROM ${table(store, 'otel_traces')}
      WHERE ServiceName = ${input.service} AND ${inRange(input)} AND ${isEntry}
      GROUP BY time
      ORDER BY time`,
  );
  const byTime = new Map(rows.map((row) => [row.time, row]));
  return { stepSeconds, points: bucketTimes(input, stepSeconds).map((time) => toPoint(time, byTime.get(time))) };
}

function toPoint(time: number, row: StatsRow | undefined): ServicePoint {
  if (!row) return { time, requests: 0, errors: 0, p50Ms: null, p95Ms: null, p99Ms: null };
  return { time, requests: row.requests, errors: row.errors, ...percentiles(row.q) };
}

/** Every bucket start in the range, aligned as `toStartOfInterval` aligns them, so gaps show as zeros. */
export function bucketTimes({ from, to }: TimeRange, stepSeconds: number): number[] {
  const step = stepSeconds * 1000;
  const times: number[] = [];
  for (let time = Math.floor(from / step) * step; time < to; time += step) times.push(time);
  return times;
}

export async function listOperations(store: QueryStore, input: ServiceInput): Promise<OperationSummary[]> {
  const rows = await selectRows<StatsRow & { operation: string; kind: string }>(
    store,
    sql`
      SELECT SpanName AS operation, any(SpanKind) AS kind, count() AS requests,
        countIf(StatusCode = 'Error') AS errors, ${quantilesMs()} AS q
      FROM ${table(store, 'otel_traces')}
      WHERE ServiceName = ${input.service} AND ${inRange(input)}
      GROUP BY SpanName
      ORDER BY requests DESC, operation`,
  );
  return rows.map((row) => ({
    operation: row.operation,
    kind: row.kind,
    calls: row.requests,
    errors: row.errors,
    callRate: row.requests / seconds(input),
    errorRate: row.requests === 0 ? 0 : row.errors / row.requests,
    ...percentiles(row.q),
  }));
}

/** The span kinds as the contrib exporter writes them. */
export const spanKinds = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'] as const;

export const operationKindsInput = z.object({ ...timeRangeFields, service: serviceName, kind: z.enum(spanKinds).optional() });
export type OperationKindsInput = z.infer<typeof operationKindsInput>;

/** A service's operations with the span kinds they were recorded with, optionally of one kind only: no figures. */
export async function listOperationKinds(store: QueryStore, input: OperationKindsInput): Promise<OperationKind[]> {
  return selectRows<OperationKind>(
    store,
    sql`
      SELECT SpanName AS operation, SpanKind AS kind
      FROM ${table(store, 'otel_traces')}
      WHERE ServiceName = ${input.service} AND ${inRange(input)}${input.kind ? sql` AND SpanKind = ${input.kind}` : sql``}
      GROUP BY SpanName, SpanKind
      ORDER BY operation, kind`,
  );
}

type EdgeRow = { direction: 'upstream' | 'downstream'; service: string; calls: number; errors: number; external: number };

/**
 * Upstream: services whose spans are parents of this service's spans. Downstream: the reverse, plus
 * uninstrumented peers (external APIs, databases, brokers) named on this service's client and producer
 * spans, which have no spans of their own to join with. An edge's calls and errors are those of the
 * called side's spans, in both directions. Edges start at client or producer spans and end at server
 * or consumer spans, as the OpenTelemetry span kinds define them.
 */
export async function getServiceDependencies(store: QueryStore, input: ServiceInput): Promise<ServiceDependencies> {
  const range = { from: Math.max(input.from, input.to - maxDependencyRangeMs), to: input.to };
  const traces = table(store, 'otel_traces');
  const mine = sql`ServiceName = ${input.service} AND ${inRange(range)}`;
  const others = sql`ServiceName != ${input.service} AND ${inRange(range)}`;
  // Named peers only: a bare `server.address` (often an IP) would list instrumented callees twice.
  const named = ['peer.service', 'db.system', 'messaging.system'] as const;
  const peers = sql`peers`;
  // Cross-service edges run from client or producer spans to server or consumer spans; restricting both
  // sides by kind keeps the span-id sets (and the scan) to the spans that can form an edge.
  const outbound = sql`SpanKind IN ('Client', 'Producer')`;
  const inbound = sql`SpanKind IN ('Server', 'Consumer')`;
  const rows = await selectRows<EdgeRow>(
    store,
    join(
      [
        sql`SELECT 'downstream' AS direction, ServiceName AS service, count() AS calls,
              countIf(StatusCode = 'Error') AS errors, 0 AS external
            FROM ${traces}
            WHERE ${others} AND ${inbound} AND ParentSpanId IN (SELECT SpanId FROM ${traces} WHERE ${mine} AND ${outbound})
            GROUP BY ServiceName`,
        sql`SELECT 'upstream' AS direction, caller.ServiceName AS service, count() AS calls,
              countIf(callee.StatusCode = 'Error') AS errors, 0 AS external
            FROM (SELECT ParentSpanId, StatusCode FROM ${traces} WHERE ${mine} AND ${inbound} AND ParentSpanId != '') AS callee
            INNER JOIN (
              SELECT SpanId, ServiceName FROM ${traces}
              WHERE ${others} AND ${outbound} AND SpanId IN (SELECT ParentSpanId FROM ${traces} WHERE ${mine} AND ${inbound})
            ) AS caller ON callee.ParentSpanId = caller.SpanId
            GROUP BY caller.ServiceName`,
        sql`WITH ${peerAttributes(named)} AS ${peers}
            SELECT 'downstream' AS direction, nullIf(${peers}[${firstPeerKey(peers, named)}], '') AS service, count() AS calls,
              countIf(StatusCode = 'Error') AS errors, 1 AS external
            FROM ${traces}
            WHERE ${mine} AND ${outbound} AND service IS NOT NULL
            GROUP BY service`,
      ],
      ' UNION ALL ',
    ),
  );
  return { ...mergeDependencies(rows), ...range };
}

/** Instrumented edges win over the peer names of the same service; each side sorted by calls. */
export function mergeDependencies(rows: EdgeRow[]): Pick<ServiceDependencies, 'upstream' | 'downstream'> {
  const sides = { upstream: new Map<string, Dependency>(), downstream: new Map<string, Dependency>() };
  const ordered = [...rows].sort((a, b) => a.external - b.external);
  for (const row of ordered) {
    const side = sides[row.direction];
    if (side.has(row.service)) continue;
    const errorRate = row.calls === 0 ? 0 : row.errors / row.calls;
    side.set(row.service, { service: row.service, calls: row.calls, errors: row.errors, errorRate, external: row.external === 1 });
  }
  const sorted = (side: Map<string, Dependency>) => [...side.values()].sort((a, b) => b.calls - a.calls);
  return { upstream: sorted(sides.upstream), downstream: sorted(sides.downstream) };
}

/**
 * What the detectors read from the spans of a time range: guarded calls per edge (with their
 * configured and observed values), how long each callee takes to answer, outbound calls with no
 * guard, breaker openings, and the evidence traces. Everything is read from the contrib tables or the
 * rollups their views fill (`faultline_guarded_calls`, `faultline_service_rollup`), so spans from any
 * service that follows docs/resilience-telemetry.md count, whoever wrote them.
 */
import { selectRows, table, type QueryStore } from '../clickhouse/selectRows';
import { join, sql } from '../clickhouse/sql';
import type { TimeRange } from '../input';
import { firstPeerKey, peerAttributes } from '../queries/peerAttributes';
import { hasTable } from '../queries/capabilities';
import { rollupUnion } from '../queries/serviceRollup';

const inRange = ({ from, to }: TimeRange) =>
  sql`Timestamp >= fromUnixTimestamp64Milli(${from}) AND Timestamp < fromUnixTimestamp64Milli(${to})`;

const attribute = (key: string) => sql`SpanAttributes[${key}]`;
const count = (key: string) => sql`toUInt32OrZero(${attribute(key)})`;
const has = (key: string) => sql`mapContains(SpanAttributes, ${key})`;
const isGuard = sql`(${has('resilience.circuit_breaker.name')} OR ${has('resilience.timeout.ms')})`;

/**
 * One guarded edge: a service's guarded calls of one operation to one dependency, with one configured
 * timeout and attempts. A configuration changed within the range is judged by the calls that ran with it.
 */
export type GuardedEdge = {
  service: string;
  peer: string;
  operation: string;
  calls: number;
  errors: number;
  /** Attempts of all the calls (each attempt is one answer from the peer, when it gets that far). */
  attempts: number;
  attemptsPerCall: number;
  maxAttempts: number;
  /** Configured; 0 when the spans don't say. */
  timeoutMs: number;
  configuredAttempts: number;
  nonIdempotentRetries: number;
  bulkheadLimit: number;
  bulkheadRejections: number;
  /** Mean share of a queued call's time spent waiting for the bulkhead. */
  queueWaitShare: number;
};

export async function guardedEdges(store: QueryStore, range: TimeRange): Promise<GuardedEdge[]> {
  const attempt = count('resilience.retry.attempt');
  const queued = has('resilience.bulkhead.queue_wait_ms');
  // The columns of faultline_guarded_calls, from the spans as its view computes them.
  const sources = await rollupUnion(
    store,
    'faultline_guarded_calls',
    range,
    (inRanges) => sql`
      SELECT ServiceName, ${attribute('peer.service')} AS Peer, SpanName,
        ${count('resilience.timeout.ms')} AS TimeoutMs, ${count('resilience.retry.max_attempts')} AS ConfiguredAttempts,
        count() AS Calls, countIf(StatusCode = 'Error') AS Errors, sum(${attempt} + 1) AS Attempts, max(${attempt} + 1) AS MaxAttempts,
        countIf(${attribute('resilience.idempotent')} = 'false' AND ${attempt} > 0) AS NonIdempotentRetries,
        max(${count('resilience.bulkhead.limit')}) AS BulkheadLimit,
        countIf(${has('resilience.bulkhead.limit')} AND NOT ${queued}) AS BulkheadRejections,
        countIf(${queued}) AS Queued,
        sumIf(${count('resilience.bulkhead.queue_wait_ms')} * 1e6 / greatest(Duration, 1), ${queued}) AS QueueWaitShares
      FROM ${table(store, 'otel_traces')}
      WHERE (${inRanges}) AND ${isGuard}
      GROUP BY ServiceName, Peer, SpanName, TimeoutMs, ConfiguredAttempts`,
    (inRanges) => sql`
      SELECT ServiceName, Peer, SpanName, TimeoutMs, ConfiguredAttempts, Calls, Errors, Attempts, MaxAttempts,
        NonIdempotentRetries, BulkheadLimit, BulkheadRejections, Queued, QueueWaitShares
      FROM ${table(store, 'faultline_guarded_calls')}
      WHERE ${inRanges}`,
    { spanRows: true },
  );
  return selectRows<GuardedEdge>(
    store,
    sql`
      SELECT ServiceName AS service, Peer AS peer, SpanName AS operation, TimeoutMs AS timeoutMs, ConfiguredAttempts AS configuredAttempts,
        sum(Calls) AS calls, sum(Errors) AS errors, sum(Attempts) AS attempts, attempts / calls AS attemptsPerCall, max(MaxAttempts) AS maxAttempts,
        sum(NonIdempotentRetries) AS nonIdempotentRetries, max(BulkheadLimit) AS bulkheadLimit,
        sum(BulkheadRejections) AS bulkheadRejections, ifNotFinite(sum(QueueWaitShares) / sum(Queued), 0) AS queueWaitShare
      FROM (${sources})
      GROUP BY service, peer, operation, timeoutMs, configuredAttempts
      ORDER BY service, peer, operation, timeoutMs, configuredAttempts`,
  );
}

/**
 * A callee's answers (server spans) that outlasted the timeout of the guarded call they answered,
 * longest first, by `configuredEdgeKey` of that call's edge. An answer belongs to a guarded call when
 * its parent span is the guard span, or the client span under it (docs/resilience-telemetry.md); the
 * guard is taken to name the callee as its `peer.service`, since it is the callee that answered.
 */
export type SlowAnswers = {
  callee: string;
  /** The answers' durations, longest first, and up to 5 of their traces, newest first. */
  byEdge: Map<string, { durationsMs: number[]; traceIds: string[] }>;
  /**
   * 0 when every answer in the range longer than the shortest timeout a caller gives the callee was
   * paired with its call; else only the longest `slowAnswerLimit` were, and this is the shortest of
   * them: of a call's answers between its timeout and this, none is counted.
   */
  cutAtMs: number;
};

/** A callee whose answers a timeout inversion is judged by: the shortest timeout a judged caller gives it, and those callers. */
export type JudgedCallee = { timeoutMs: number; callers: string[] };

/** How many of a callee's slow answers are paired with their calls, at most, longest first. */
export const slowAnswerLimit = 1_000;

/**
 * The slow answers of the callees in `judged`, read only where they can be: in the minutes and hours
 * (`faultline_service_rollup`, and the spans at the range's ends) in which a callee's longest answer
 * outlasts the shortest timeout a judged caller gives it, so a callee that is rarely slow costs a few
 * buckets of its spans. The callers' spans are read in those traces only, and a callee slow for a long
 * range has its longest `limit` answers paired, not every one.
 */
export async function slowAnswers(store: QueryStore, range: TimeRange, judged: ReadonlyMap<string, JudgedCallee>, limit = slowAnswerLimit): Promise<SlowAnswers[]> {
  if (judged.size === 0) return [];
  const callees = [...judged.keys()];
  const sources = await rollupUnion(
    store,
    'faultline_service_rollup',
    range,
    (inRanges) => sql`
      SELECT ServiceName, 60 AS Step, toStartOfMinute(Timestamp) AS Start, max(Duration) AS Longest
      FROM ${table(store, 'otel_traces')}
      WHERE (${inRanges}) AND SpanKind = 'Server' AND ParentSpanId != '' AND has(${callees}, ServiceName)
      GROUP BY ServiceName, Start`,
    (inRanges) => sql`
      SELECT ServiceName, Step, Start, LongestServed AS Longest FROM ${table(store, 'faultline_service_rollup')}
      WHERE (${inRanges}) AND has(${callees}, ServiceName)`,
  );
  const buckets = await selectRows<Bucket>(
    store,
    sql`
      SELECT ServiceName AS callee, toUnixTimestamp(Start) * 1000 AS startMs, Step * 1000 AS lengthMs, max(Longest) / 1e6 AS longestMs
      FROM (${sources})
      GROUP BY callee, Start, Step`,
  );
  const windows = slowWindows(buckets, judged, range);
  if (windows.size === 0) return [];
  const rows = await pairedSlowAnswers(store, range, judged, windows, limit);
  return [...windows.keys()].map((callee) => {
    const own = rows.filter((row) => row.callee === callee);
    const kept = own.reduce((total, row) => total + row.kept, 0);
    return {
      callee,
      byEdge: new Map(own.filter((row) => row.service !== '').map((row) => [configuredEdgeKey({ ...row, peer: callee }), { durationsMs: row.durationsMs, traceIds: row.traceIds }])),
      cutAtMs: kept >= limit ? Math.min(...own.map((row) => row.shortestMs)) : 0,
    };
  });
}

type Bucket = { callee: string; startMs: number; lengthMs: number; longestMs: number };

/** Per callee, the parts of the range whose buckets hold an answer longer than its shortest timeout, adjacent ones merged. */
export function slowWindows(buckets: Bucket[], judged: ReadonlyMap<string, JudgedCallee>, range: TimeRange): Map<string, TimeRange[]> {
  const windows = new Map<string, TimeRange[]>();
  const slow = buckets.filter((bucket) => bucket.longestMs > (judged.get(bucket.callee)?.timeoutMs ?? Infinity)).sort((a, b) => a.startMs - b.startMs);
  for (const { callee, startMs, lengthMs } of slow) {
    const window = { from: Math.max(range.from, startMs), to: Math.min(range.to, startMs + lengthMs) };
    if (window.from >= window.to) continue;
    const own = windows.get(callee) ?? [];
    const last = own[own.length - 1];
    if (last && last.to >= window.from) last.to = Math.max(last.to, window.to);
    else own.push(window);
    windows.set(callee, own);
  }
  return windows;
}

type PairedRow = {
  callee: string;
  service: string;
  operation: string;
  timeoutMs: number;
  configuredAttempts: number;
  kept: number;
  shortestMs: number;
  durationsMs: number[];
  traceIds: string[];
};

const evidenceTraces = 5;

/** A guard span starts before the answers to its call: the callers' spans are read from this much before a window. */
const guardLeadMs = 60_000;

/**
 * The longest `limit` answers of each callee over its shortest timeout, in its slow windows, each paired
 * with the guarded call it answered (service '' when none): per call's edge, how many were kept, the
 * shortest, and those over the call's own timeout with the newest 5 of their traces.
 */
async function pairedSlowAnswers(
  store: QueryStore,
  range: TimeRange,
  judged: ReadonlyMap<string, JudgedCallee>,
  windows: ReadonlyMap<string, TimeRange[]>,
  limit: number,
): Promise<PairedRow[]> {
  const traces = table(store, 'otel_traces');
  // Spans ordered by TraceId, with their resilience attributes: a few traces are read from a granule
  // each, where otel_traces would be read a granule per service and operation.
  const callerSpans = (await hasTable(store, 'faultline_trace_spans')) ? table(store, 'faultline_trace_spans') : traces;
  const within = (ranges: TimeRange[]) => join(ranges.map((window) => sql`(${inRange(window)})`), ' OR ');
  const slowSpans = join(
    [...windows].map(([callee, ranges]) => sql`(ServiceName = ${callee} AND Duration > ${Math.round(judged.get(callee)!.timeoutMs * 1e6)} AND (${within(ranges)}))`),
    ' OR ',
  );
  const callers = [...new Set([...windows.keys()].flatMap((callee) => judged.get(callee)!.callers))];
  const callerWindows = [...windows.values()].flat().map(({ from, to }) => ({ from: Math.max(range.from, from - guardLeadMs), to }));
  // Each slow answer's trace brings its callers' spans as one array, in which its parent span and the
  // parent's parent are found: the callers' spans are read once. An answer to no judged caller is kept
  // too (unpaired), so the count kept says whether the limit cut the answers. Ties in duration are
  // broken by trace, so `slow` names the same answers each time it is read.
  return selectRows<PairedRow>(
    store,
    sql`
      WITH slow AS (
        SELECT TraceId, ParentSpanId, ServiceName AS callee, Duration, Timestamp FROM ${traces}
        WHERE SpanKind = 'Server' AND ParentSpanId != '' AND (${slowSpans})
        ORDER BY Duration DESC, TraceId, ParentSpanId LIMIT ${limit} BY callee
      )
      SELECT callee, answered.1 AS service, answered.2 AS operation, answered.3 AS timeoutMs, answered.4 AS configuredAttempts,
        count() AS kept, min(duration) / 1e6 AS shortestMs,
        arrayReverseSort(groupArrayIf(duration / 1e6, duration > timeoutMs * 1e6)) AS durationsMs,
        arraySlice(arrayDistinct(arrayMap((answer) -> answer.2, arrayReverseSort((answer) -> answer.1, groupArrayIf((time, traceId), duration > timeoutMs * 1e6)))), 1, ${evidenceTraces}) AS traceIds
      FROM (
        SELECT callee, Duration AS duration, Timestamp AS time, slow.TraceId AS traceId,
          arrayFirst((candidate) -> candidate.1 = slow.ParentSpanId, trace.spans) AS parent,
          arrayFirst((candidate) -> candidate.1 = parent.2 AND candidate.4 = parent.4, trace.spans) AS grand,
          multiIf(parent.3, tuple(parent.4, parent.5, parent.6, parent.7), grand.3, tuple(grand.4, grand.5, grand.6, grand.7),
            tuple('', '', toUInt32(0), toUInt32(0))) AS answered
        FROM slow
        LEFT JOIN (
          SELECT TraceId, groupArray(tuple(SpanId, ParentSpanId, ${isGuard}, ServiceName, SpanName,
            ${count('resilience.timeout.ms')}, ${count('resilience.retry.max_attempts')})) AS spans
          FROM ${callerSpans}
          WHERE has(${callers}, ServiceName) AND (${within(callerWindows)}) AND TraceId IN (SELECT TraceId FROM slow)
          GROUP BY TraceId
        ) AS trace ON trace.TraceId = slow.TraceId
      )
      GROUP BY callee, service, operation, timeoutMs, configuredAttempts`,
  );
}

/** Outbound calls to a named peer that neither carry a guard nor sit under one. */
export type UnguardedCalls = { service: string; peer: string; operation: string; calls: number; p99Ms: number; traceIds: string[] };

export function unguardedCalls(store: QueryStore, range: TimeRange): Promise<UnguardedCalls[]> {
  const traces = table(store, 'otel_traces');
  const peers = sql`peers`;
  // The candidates are found by the attribute keys alone (PREWHERE), before any whole attribute map is
  // read; their parents are looked up in their traces only (through the TraceId index), not among every
  // guarded span of the range.
  const hasKey = (key: string) => sql`has(SpanAttributes.keys, ${key})`;
  return selectRows<UnguardedCalls>(
    store,
    sql`
      WITH candidates AS (
        SELECT TraceId, ParentSpanId, ServiceName AS service, SpanName AS operation, Duration AS duration,
          ${peerAttributes()} AS ${peers}, ${peers}[${firstPeerKey(peers)}] AS peer
        FROM ${traces}
        PREWHERE ${inRange(range)} AND SpanKind = 'Client' AND NOT (${hasKey('resilience.circuit_breaker.name')} OR ${hasKey('resilience.timeout.ms')})
        WHERE peer != ''
      )
      SELECT call.service AS service, call.peer AS peer, any(call.operation) AS operation, count() AS calls,
        quantile(0.99)(call.duration) / 1e6 AS p99Ms, arraySlice(arraySort(groupUniqArray(call.TraceId)), 1, 5) AS traceIds
      FROM candidates AS call
      LEFT JOIN (
        SELECT TraceId, SpanId, 1 AS guarded FROM ${traces}
        WHERE ${inRange(range)} AND ${isGuard} AND TraceId IN (SELECT TraceId FROM candidates)
      ) AS parent ON parent.TraceId = call.TraceId AND parent.SpanId = call.ParentSpanId
      WHERE parent.guarded = 0
      GROUP BY service, peer
      ORDER BY service, peer`,
  );
}

/** Each breaker's openings in the range, from its state-change log records. */
export type BreakerOpenings = { service: string; breaker: string; peer: string; opens: number; reopens: number; traceIds: string[] };

export function breakerOpenings(store: QueryStore, range: TimeRange): Promise<BreakerOpenings[]> {
  const attr = (key: string) => sql`LogAttributes[${key}]`;
  return selectRows<BreakerOpenings>(
    store,
    sql`
      SELECT ServiceName AS service, if(${attr('resilience.policy.name')} != '', ${attr('resilience.policy.name')}, ${attr('resilience.circuit_breaker.name')}) AS breaker,
        any(${attr('peer.service')}) AS peer, countIf(${attr('to')} = 'open') AS opens,
        countIf(${attr('to')} = 'open' AND ${attr('from')} IN ('half_open', 'half-open')) AS reopens,
        arraySlice(arraySort(groupUniqArrayIf(TraceId, TraceId != '' AND ${attr('to')} = 'open')), 1, 5) AS traceIds
      FROM ${table(store, 'otel_logs')}
      WHERE ${inRange(range)} AND (EventName = 'resilience.circuit_breaker.state_change' OR Body = 'resilience.circuit_breaker.state_change')
      GROUP BY service, breaker
      HAVING opens > 0
      ORDER BY service, breaker`,
  );
}

const hourMs = 3_600_000;

/**
 * Up to 5 trace ids per key, newest first: `find`'s over the range's last hour, and over the rest of
 * the range only for the keys with fewer than 5 there. The same answer as one search of the whole
 * range (a trace found in the last hour has its newest match there), at the cost of an hour's spans
 * when evidence abounds.
 */
async function newestTraces(
  range: TimeRange,
  keys: readonly string[],
  find: (window: TimeRange, keys: readonly string[]) => Promise<{ key: string; traceId: string }[]>,
): Promise<Map<string, string[]>> {
  const found = new Map(keys.map((key) => [key, [] as string[]]));
  const add = (rows: { key: string; traceId: string }[]) => {
    for (const { key, traceId } of rows) {
      const traces = found.get(key);
      if (traces && traces.length < evidenceTraces && !traces.includes(traceId)) traces.push(traceId);
    }
  };
  const lastHour = { from: Math.max(range.from, range.to - hourMs), to: range.to };
  add(await find(lastHour, keys));
  const short = keys.filter((key) => (found.get(key)?.length ?? 0) < evidenceTraces);
  if (short.length > 0 && lastHour.from > range.from) add(await find({ from: range.from, to: lastHour.from }, short));
  return found;
}

export type EdgeName = Pick<GuardedEdge, 'service' | 'peer' | 'operation'>;
const separator = '\u001f';
export const edgeKey = ({ service, peer, operation }: EdgeName) => [service, peer, operation].join(separator);
/** An edge with its configuration: what a guarded edge is judged by. */
export const configuredEdgeKey = (edge: EdgeName & Pick<GuardedEdge, 'timeoutMs' | 'configuredAttempts'>) => [edgeKey(edge), edge.timeoutMs, edge.configuredAttempts].join(separator);

/** Up to 5 traces per edge (by `edgeKey`), newest first, with a guarded span of the edge that matches `condition`: one search for all. */
export function guardedEvidence(store: QueryStore, range: TimeRange, edges: readonly EdgeName[], condition: ReturnType<typeof sql>): Promise<Map<string, string[]>> {
  return newestTraces(range, edges.map(edgeKey), (window, keys) => {
    const searched = edges.filter((edge) => keys.includes(edgeKey(edge)));
    return selectRows<{ key: string; traceId: string }>(
      store,
      sql`
        SELECT key, traceId FROM (
          SELECT concat(ServiceName, ${separator}, ${attribute('peer.service')}, ${separator}, SpanName) AS key, TraceId AS traceId, Timestamp
          FROM ${table(store, 'otel_traces')}
          WHERE ${inRange(window)} AND has(${[...new Set(searched.map((edge) => edge.service))]}, ServiceName)
            AND has(${[...new Set(searched.map((edge) => edge.operation))]}, SpanName) AND ${isGuard} AND has(${[...keys]}, key) AND (${condition})
          ORDER BY Timestamp DESC LIMIT 1 BY key, traceId
        )
        ORDER BY Timestamp DESC LIMIT ${evidenceTraces} BY key`,
    );
  });
}

/** Up to 5 traces, newest first, where `callee` served `caller` for longer than `thresholdMs`. */
export async function slowCalleeEvidence(store: QueryStore, range: TimeRange, caller: string, callee: string, thresholdMs: number): Promise<string[]> {
  const traces = table(store, 'otel_traces');
  // The callee's slow spans are few: the caller's spans are read in their traces only.
  const searched = await newestTraces(range, [''], (window) =>
    selectRows<{ key: string; traceId: string }>(
      store,
      sql`
        WITH slow AS (
          SELECT TraceId, ParentSpanId, Timestamp FROM ${traces}
          WHERE ${inRange(window)} AND SpanKind = 'Server' AND ServiceName = ${callee} AND Duration > ${thresholdMs * 1e6}
        )
        SELECT '' AS key, callee.TraceId AS traceId
        FROM (
          SELECT TraceId, SpanId FROM ${traces}
          WHERE ${inRange(window)} AND SpanKind = 'Client' AND ServiceName = ${caller} AND TraceId IN (SELECT TraceId FROM slow)
        ) AS call
        INNER JOIN slow AS callee ON callee.TraceId = call.TraceId AND callee.ParentSpanId = call.SpanId
        ORDER BY callee.Timestamp DESC LIMIT 1 BY traceId LIMIT ${evidenceTraces}`,
    ),
  );
  return searched.get('') ?? [];
}

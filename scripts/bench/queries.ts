/**
 * `npm run bench:queries`: every dashboard query, timed against 10 million synthetic spans in a fresh
 * embedded store (median of 5 runs after one warm-up), beside the targets of issue 4.
 *
 * The data are generated inside ClickHouse (`INSERT … SELECT … FROM numbers()`): 24 hours of traces
 * of 10 spans each over 12 services and 96 operations, 2% errors, long-tailed durations, resilience
 * attributes on client spans (a configured timeout, and ledger's calls marked not idempotent, so the
 * findings have retries of non-idempotent calls to report), ten log lines per trace, and 24 hours of breaker metrics exported
 * every 10 s. The `faultline_*` views exist before the load, as after start-up.
 * Options: --spans 10000000 --runs 5 --data-dir <dir> (keeps the loaded store there and reuses it on
 * the next run with the same --spans, to time a query change without loading again), --only <text>
 * (times only the queries whose name contains it). Each answer's rows are counted: an empty answer is
 * reported as such and makes the run exit 1, since its timing says nothing.
 * The Jaeger query API's cases time its whole answer (lib/jaeger/api.ts: queries and translation to
 * Jaeger's JSON model), without the HTTP round trip.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '../../lib/clickhouse/store';
import { loadConfig } from '../../lib/config';
import { listBreakers } from '../../lib/queries/breakers';
import { getBreakerTimelines } from '../../lib/queries/breakerTimelines';
import { listTraceLogs } from '../../lib/queries/traceLogs';
import { getLogVolume, logSearchInput, logVolumeInput, searchLogs } from '../../lib/queries/logSearch';
import { getServiceMap } from '../../lib/queries/serviceMap';
import { getCountsSeries, getWindowCounts } from '../../lib/slo/sloCounts';
import { getServiceDependencies, getServiceSeries, listOperations, listServices } from '../../lib/queries/services';
import { getSpan, getTrace } from '../../lib/queries/traceView';
import { searchTraces, traceSearchInput } from '../../lib/queries/traceSearch';
import { ruleWindowsMs } from '../../lib/slo/burnRate';
import { answerJaeger } from '../../lib/jaeger/api';
import { listFindings } from '../../lib/findings/findings';

const { values: args } = parseArgs({
  options: {
    spans: { type: 'string', default: '10000000' },
    runs: { type: 'string', default: '5' },
    'data-dir': { type: 'string' },
    only: { type: 'string' },
  },
});
const spanCount = Number(args.spans);
const runs = Number(args.runs);
const spansPerTrace = 10;
// As many log lines as spans (issue 5 times log search over 10 million of each).
const logsPerTrace = 10;
const traceCount = Math.floor(spanCount / spansPerTrace);
const hour = 3_600_000;

const dataDir = args['data-dir'] ?? mkdtempSync(join(tmpdir(), 'faultline-bench-queries-'));
const loadedFile = join(dataDir, 'bench-loaded.json');
type Loaded = { spans: number; now: number };
const previous = existsSync(loadedFile) ? (JSON.parse(readFileSync(loadedFile, 'utf8')) as Loaded) : undefined;
const reused = previous?.spans === spanCount ? previous : undefined;
const now = reused?.now ?? Math.floor(Date.now() / 1000) * 1000;
const day = { from: now - 24 * hour, to: now };
const lastHour = { from: now - hour, to: now };
const config = loadConfig({ FAULTLINE_DATA_DIR: dataDir });
const store = await openStore(config);
// The dashboard's derived views, as start-up creates them, filled by the load below.
const db = `"${store.database}"`;
const command = (query: string) => store.client.command({ query });

const traceIdOf = (t: string) => `lower(concat(hex(cityHash64(${t}, 'trace')), hex(cityHash64(${t}, 'id'))))`;
const services = `['gateway','order','payment','inventory','user','notification','search','cart','shipping','email','auth','ledger']`;

async function load(): Promise<void> {
  const batch = 1_000_000;
  for (let first = 0; first < spanCount; first += batch) {
    const rows = Math.min(batch, spanCount - first);
    const started = performance.now();
    // Span k of trace t: k = 0 is the root; span k's parent is span floor((k - 1) / 2), a binary tree.
    await command(`
      INSERT INTO ${db}.otel_traces (Timestamp, TraceId, SpanId, ParentSpanId, SpanName, SpanKind, ServiceName,
        ResourceAttributes, ScopeName, SpanAttributes, Duration, StatusCode, StatusMessage)
      SELECT
        fromUnixTimestamp64Nano(toInt64(${day.from} * 1000000 + t * intDiv(${24 * hour} * 1000000, ${traceCount}) + k * 3000000)) AS Timestamp,
        ${traceIdOf('t')} AS TraceId,
        lower(hex(cityHash64(t, k))) AS SpanId,
        if(k = 0, '', lower(hex(cityHash64(t, intDiv(k - 1, 2))))) AS ParentSpanId,
        concat(if(k % 2 = 1, 'call ', 'handle '), toString((t + k) % 8)) AS SpanName,
        multiIf(k = 0, 'Server', k % 2 = 1, 'Client', 'Server') AS SpanKind,
        ${services}[1 + (t * 7 + intDiv(k + 1, 2)) % 12] AS ServiceName,
        map('service.name', ServiceName, 'deployment.environment', 'bench') AS ResourceAttributes,
        'bench' AS ScopeName,
        if(k % 2 = 1,
           map('peer.service', ${services}[1 + (t * 7 + intDiv(k + 2, 2)) % 12],
               'resilience.circuit_breaker.name', concat(ServiceName, '->', ${services}[1 + (t * 7 + intDiv(k + 2, 2)) % 12]),
               'resilience.circuit_breaker.state', if(cityHash64(t, k, 'open') % 100 = 0, 'open', 'closed'),
               'resilience.retry.attempt', toString(cityHash64(t, k, 'retry') % 3),
               'resilience.timeout.ms', '2000',
               'resilience.idempotent', if(ServiceName = 'ledger', 'false', 'true'),
               'resilience.fallback.used', if(cityHash64(t, k, 'fallback') % 50 = 0, 'true', 'false')),
           map('http.route', SpanName, 'http.request.method', 'GET')) AS SpanAttributes,
        toUInt64(1000000 * (1 + exp((cityHash64(t, k, 'latency') % 10000) / 1500.0)) / (1 + k)) AS Duration,
        if(cityHash64(t, k, 'error') % 50 = 0, 'Error', 'Unset') AS StatusCode,
        if(StatusCode = 'Error', 'synthetic failure', '') AS StatusMessage
      FROM (SELECT intDiv(number, ${spansPerTrace}) AS t, number % ${spansPerTrace} AS k FROM numbers(${first}, ${rows}))`);
    process.stdout.write(`\rloading spans ${first + rows}/${spanCount} (${Math.round(rows / ((performance.now() - started) / 1000))} rows/s)`);
  }
  process.stdout.write('\n');
  await command(`
    INSERT INTO ${db}.otel_logs (Timestamp, TraceId, SpanId, SeverityText, SeverityNumber, ServiceName, Body)
    SELECT fromUnixTimestamp64Nano(toInt64(${day.from} * 1000000 + t * intDiv(${24 * hour} * 1000000, ${traceCount}) + n * 1000000)),
      ${traceIdOf('t')}, lower(hex(cityHash64(t, n))), if(n % 5 = 4, 'WARN', 'INFO'), if(n % 5 = 4, 13, 9),
      ${services}[1 + (t * 7 + intDiv(n + 1, 2)) % 12], concat('synthetic log line ', toString(n))
    FROM (SELECT intDiv(number, ${logsPerTrace}) AS t, number % ${logsPerTrace} AS n FROM numbers(${traceCount * logsPerTrace}))`);
  // Six breakers over 24 h, exported every 10 s; each opens for 5 minutes every 4 hours.
  const points = (24 * hour) / 10_000;
  const breakers = `SELECT b, p, ${services}[1 + b] AS svc, ${services}[1 + (b + 1) % 12] AS peer,
      fromUnixTimestamp64Milli(toInt64(${day.from} + p * 10000)) AS time, (p % 1440) BETWEEN 100 AND 130 AS open
    FROM (SELECT number % 6 AS b, intDiv(number, 6) AS p FROM numbers(${6 * points}))`;
  await command(`
    INSERT INTO ${db}.otel_metrics_gauge (ServiceName, MetricName, Attributes, TimeUnix, StartTimeUnix, Value)
    SELECT svc, 'resilience.circuit_breaker.state', map('resilience.policy.name', concat(svc, '->', peer), 'peer.service', peer), time, time, if(open, 2, 0)
    FROM (${breakers})`);
  await command(`
    INSERT INTO ${db}.otel_metrics_sum (ServiceName, MetricName, Attributes, TimeUnix, StartTimeUnix, Value, AggregationTemporality, IsMonotonic)
    SELECT svc, 'resilience.circuit_breaker.calls', map('resilience.policy.name', concat(svc, '->', peer), 'peer.service', peer, 'outcome', outcome),
      time, fromUnixTimestamp64Milli(toInt64(${day.from} - 1000)), (p + 1) * if(outcome = 'success', 50, 2), 2, true
    FROM (${breakers}) ARRAY JOIN ['success', 'failure', 'timeout', 'rejected'] AS outcome`);
  await command(`OPTIMIZE TABLE ${db}.otel_traces_trace_id_ts FINAL`);
  await settleMerges();
}

/** Times queries against settled parts, as a store has between bursts, not against a load's merges. */
async function settleMerges(): Promise<void> {
  const deadline = performance.now() + 180_000;
  for (;;) {
    const [row] = await (await store.client.query({ query: 'SELECT count() AS merges FROM system.merges', format: 'JSONEachRow' })).json<{ merges: number | string }>();
    const merges = Number(row?.merges ?? 0);
    process.stdout.write(`\rwaiting for background merges to finish: ${merges} running   `);
    if (merges === 0 || performance.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  process.stdout.write('\n');
}

/** The median time of `runs` runs after a warm-up, and the last run's answer. */
async function time<T>(run: () => Promise<T>): Promise<{ median: number; answer: T }> {
  let answer = await run();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    answer = await run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)] as number, answer };
}

type Case = { name: string; target?: number; run(): Promise<{ median: number; rows: number }> };

/** A timed query; `rows` counts what its answer holds, so that a fast empty answer is not taken for a fast one. */
function timed<T>(name: string, target: number | undefined, run: () => Promise<T>, rows: (answer: T) => number): Case {
  return {
    name,
    target,
    async run() {
      const { median, answer } = await time(run);
      return { median, rows: rows(answer) };
    },
  };
}

const length = (answer: unknown[]) => answer.length;
const nonZero = (points: { total?: number; requests?: number }[]) => points.filter((point) => (point.total ?? point.requests ?? 0) > 0).length;

try {
  if (reused) {
    console.log(`reusing ${spanCount.toLocaleString('en')} spans loaded in ${dataDir}`);
  } else {
    const loading = performance.now();
    await load();
    console.log(`loaded ${spanCount.toLocaleString('en')} spans in ${((performance.now() - loading) / 1000).toFixed(1)} s`);
    if (args['data-dir']) writeFileSync(loadedFile, JSON.stringify({ spans: spanCount, now } satisfies Loaded));
  }
  const [sample] = await (
    await store.client.query({ query: `SELECT TraceId, SpanId FROM ${db}.otel_traces WHERE Timestamp > now() - INTERVAL 2 HOUR LIMIT 1`, format: 'JSONEachRow' })
  ).json<{ TraceId: string; SpanId: string }>();
  const traceId = sample?.TraceId ?? '';
  const spanId = sample?.SpanId ?? '';
  const search = (input: Record<string, unknown>) => () => searchTraces(store, traceSearchInput.parse(input));
  const sloTarget = { service: 'payment', objective: 'availability' } as const;
  const jaeger = (path: string) => async () => {
    const answer = await answerJaeger(store, new URL(path, 'http://bench.invalid'), now);
    if (answer.status !== 200) throw new Error(`${path}: ${JSON.stringify(answer.body.errors)}`);
    return answer;
  };
  const jaegerRows = (answer: Awaited<ReturnType<typeof answerJaeger>>) => (Array.isArray(answer.body.data) ? answer.body.data.length : 0);
  const lastHourUs = `start=${lastHour.from * 1000}&end=${lastHour.to * 1000}`;

  const cases: Case[] = [
    timed('services overview, 24 h', 100, () => listServices(store, day), length),
    timed('services overview, 1 h', 100, () => listServices(store, lastHour), length),
    timed('service latency series, 24 h', 100, () => getServiceSeries(store, { ...day, service: 'payment' }), (series) => nonZero(series.points)),
    timed('service latency series, 1 h', 100, () => getServiceSeries(store, { ...lastHour, service: 'payment' }), (series) => nonZero(series.points)),
    timed('service operations, 24 h', undefined, () => listOperations(store, { ...day, service: 'payment' }), length),
    timed('service dependencies, 1 h', undefined, () => getServiceDependencies(store, { ...lastHour, service: 'payment' }), (d) => d.upstream.length + d.downstream.length),
    timed('service dependencies, 24 h (last hour read)', undefined, () => getServiceDependencies(store, { ...day, service: 'payment' }), (d) => d.upstream.length + d.downstream.length),
    timed('trace search: service + min duration, 1 h', 100, search({ ...lastHour, service: 'payment', minDurationMs: 50 }), length),
    timed('trace search: no filter, 1 h', 100, search(lastHour), length),
    timed('trace search: attribute, 1 h', 100, search({ ...lastHour, attr: ['resilience.fallback.used=true'] }), length),
    timed('trace search: service + min duration, 24 h', undefined, search({ ...day, service: 'payment', minDurationMs: 50 }), length),
    timed('trace by id (waterfall)', 30, () => getTrace(store, traceId), (trace) => trace.spans.length),
    timed('one span of a trace, in full', 30, () => getSpan(store, traceId, spanId), (span) => (span.spanId === spanId ? 1 : 0)),
    timed('logs of a trace', undefined, () => listTraceLogs(store, traceId), length),
    timed('breakers board, 15 min', 100, () => listBreakers(store, { from: now - hour / 4, to: now }), (board) => board.breakers.length),
    timed('breakers board, 24 h', 100, () => listBreakers(store, day), (board) => board.breakers.length),
    timed('breaker timelines, 24 h', undefined, () => getBreakerTimelines(store, day), length),
    // Issue 5: logs explorer, service map, SLOs (targets 300 ms).
    timed('log search: newest page, 24 h', 300, () => searchLogs(store, logSearchInput.parse(day)), (page) => page.lines.length),
    timed('log search: text + service, 24 h', 300, () => searchLogs(store, logSearchInput.parse({ ...day, q: 'line 1', service: 'payment' })), (page) => page.lines.length),
    timed('log search: severity + trace id, 24 h', 300, () => searchLogs(store, logSearchInput.parse({ ...day, severity: ['warn'], traceId })), (page) => page.lines.length),
    timed('log volume by severity, 24 h', 300, () => getLogVolume(store, logVolumeInput.parse(day)), (volume) =>
      volume.points.filter(({ time: _time, ...levels }) => Object.values(levels).some((count) => count > 0)).length,
    ),
    timed('service map, 1 h', 300, () => getServiceMap(store, lastHour), (map) => map.edges.length),
    timed('SLO window counts, 5 min … 30 d', 300, () => getWindowCounts(store, sloTarget, [30 * 24 * hour, ...ruleWindowsMs], now), nonZero),
    timed('SLO burn-rate series, 24 h', 300, () => getCountsSeries(store, sloTarget, day), (series) => nonZero(series.points)),
    // Issue 14: every detector over the range, each finding with its evidence traces.
    timed('findings, 24 h', 300, () => listFindings(store, day), (answer) => answer.findings.length),
    // Issue 13: the Jaeger query API, as Grafana's Jaeger data source and Jaeger UI call it.
    timed('Jaeger API: services', undefined, jaeger('/api/services'), jaegerRows),
    timed('Jaeger API: operations of a service', undefined, jaeger('/api/services/payment/operations'), jaegerRows),
    timed('Jaeger API: trace by id', undefined, jaeger(`/api/traces/${traceId}`), jaegerRows),
    timed('Jaeger API: search service + minDuration, 20, 1 h', undefined, jaeger(`/api/traces?service=payment&minDuration=50ms&limit=20&${lastHourUs}`), jaegerRows),
    timed('Jaeger API: search tags, 20, 1 h', undefined, jaeger(`/api/traces?tags=${encodeURIComponent('{"resilience.fallback.used":"true"}')}&limit=20&${lastHourUs}`), jaegerRows),
  ];
  console.log(`\nmedian of ${runs} runs after a warm-up, ${spanCount.toLocaleString('en')} spans, chDB ${store.kind}`);
  console.log(`${'query'.padEnd(46)} ${'median'.padStart(9)} ${'rows'.padStart(6)}  target`);
  for (const c of cases.filter((c) => c.name.includes(args.only ?? ''))) {
    const { median, rows } = await c.run();
    const verdict = c.target === undefined ? '' : `≤ ${c.target} ms ${median <= c.target ? 'ok' : 'MISSED'}`;
    console.log(`${c.name.padEnd(46)} ${`${median.toFixed(1)} ms`.padStart(9)} ${String(rows).padStart(6)}  ${rows === 0 ? 'EMPTY ANSWER: the timing means nothing' : verdict}`);
    if (rows === 0) process.exitCode = 1;
  }
} finally {
  await store.close();
  if (!args['data-dir']) rmSync(dataDir, { recursive: true, force: true });
}

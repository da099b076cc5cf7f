/**
 * Every table Faultline reads or writes, by one owner: its name, and for the tables the collector and
 * the SLO evaluator insert into, the columns in insert order with their ClickHouse types. The DDL
 * files in `ddl/` create them; `tables.int.test.ts` fails when the two drift apart. The RowBinary
 * encoders write in this order, and query modules may only name tables listed here.
 */

/** A column as `system.columns` reports it: Nested members one by one (`Events.Name`), as arrays. */
export type Column = readonly [name: string, type: string];

export type TableLayout<Name extends string = string> = {
  name: Name;
  /** Insert order; columns filled by ClickHouse (DEFAULT, ALIAS) are left out. */
  columns: readonly Column[];
  columnNames: readonly string[];
  writtenBy: string;
  readBy: string;
};

const layout = <Name extends string>(name: Name, writtenBy: string, readBy: string, columns: readonly Column[]): TableLayout<Name> => ({
  name,
  columns,
  columnNames: columns.map(([column]) => column),
  writtenBy,
  readBy,
});

const attributes = 'Map(LowCardinality(String), String)';

const metricBase: readonly Column[] = [
  ['ResourceAttributes', attributes],
  ['ResourceSchemaUrl', 'String'],
  ['ScopeName', 'String'],
  ['ScopeVersion', 'String'],
  ['ScopeAttributes', attributes],
  ['ScopeDroppedAttrCount', 'UInt32'],
  ['ScopeSchemaUrl', 'String'],
  ['ServiceName', 'LowCardinality(String)'],
  ['MetricName', 'String'],
  ['MetricDescription', 'String'],
  ['MetricUnit', 'String'],
  ['Attributes', attributes],
  ['StartTimeUnix', 'DateTime64(9)'],
  ['TimeUnix', 'DateTime64(9)'],
];

const exemplars: readonly Column[] = [
  ['Exemplars.FilteredAttributes', 'Array(Map(LowCardinality(String), String))'],
  ['Exemplars.TimeUnix', 'Array(DateTime64(9))'],
  ['Exemplars.Value', 'Array(Float64)'],
  ['Exemplars.SpanId', 'Array(String)'],
  ['Exemplars.TraceId', 'Array(String)'],
];

export const writtenTables = {
  traces: layout('otel_traces', 'collector (lib/otlp/rows/encodeSpanRows.ts, lib/otlp/decode/decodeTracesProtoToRowBinary.ts)', 'lib/queries (span details, trace search by attribute), the faultline_* views', [
    ['Timestamp', 'DateTime64(9)'],
    ['TraceId', 'String'],
    ['SpanId', 'String'],
    ['ParentSpanId', 'String'],
    ['TraceState', 'String'],
    ['SpanName', 'LowCardinality(String)'],
    ['SpanKind', 'LowCardinality(String)'],
    ['ServiceName', 'LowCardinality(String)'],
    ['ResourceAttributes', attributes],
    ['ScopeName', 'String'],
    ['ScopeVersion', 'String'],
    ['SpanAttributes', attributes],
    ['Duration', 'UInt64'],
    ['StatusCode', 'LowCardinality(String)'],
    ['StatusMessage', 'String'],
    ['Events.Timestamp', 'Array(DateTime64(9))'],
    ['Events.Name', 'Array(LowCardinality(String))'],
    ['Events.Attributes', 'Array(Map(LowCardinality(String), String))'],
    ['Links.TraceId', 'Array(String)'],
    ['Links.SpanId', 'Array(String)'],
    ['Links.TraceState', 'Array(String)'],
    ['Links.Attributes', 'Array(Map(LowCardinality(String), String))'],
  ]),
  logs: layout('otel_logs', 'collector (lib/otlp/rows/encodeLogRows.ts)', 'lib/queries/logSearch.ts, lib/queries/traceLogs.ts', [
    ['Timestamp', 'DateTime64(9)'],
    ['TraceId', 'String'],
    ['SpanId', 'String'],
    ['TraceFlags', 'UInt8'],
    ['SeverityText', 'LowCardinality(String)'],
    ['SeverityNumber', 'UInt8'],
    ['ServiceName', 'LowCardinality(String)'],
    ['Body', 'String'],
    ['ResourceSchemaUrl', 'LowCardinality(String)'],
    ['ResourceAttributes', attributes],
    ['ScopeSchemaUrl', 'LowCardinality(String)'],
    ['ScopeName', 'String'],
    ['ScopeVersion', 'LowCardinality(String)'],
    ['ScopeAttributes', attributes],
    ['LogAttributes', attributes],
    ['EventName', 'String'],
  ]),
  metricsGauge: layout('otel_metrics_gauge', 'collector (lib/otlp/rows/encodeMetricRows.ts)', 'lib/queries/breakerPoints.ts, the faultline_breaker_points view', [
    ...metricBase,
    ['Value', 'Float64'],
    ['Flags', 'UInt32'],
    ...exemplars,
  ]),
  metricsSum: layout('otel_metrics_sum', 'collector (lib/otlp/rows/encodeMetricRows.ts)', 'lib/queries/breakerPoints.ts, the faultline_breaker_points view', [
    ...metricBase,
    ['Value', 'Float64'],
    ['Flags', 'UInt32'],
    ...exemplars,
    ['AggregationTemporality', 'Int32'],
    ['IsMonotonic', 'Bool'],
  ]),
  metricsHistogram: layout('otel_metrics_histogram', 'collector (lib/otlp/rows/encodeMetricRows.ts)', 'other tools (Grafana, HyperDX)', [
    ...metricBase,
    ['Count', 'UInt64'],
    ['Sum', 'Float64'],
    ['BucketCounts', 'Array(UInt64)'],
    ['ExplicitBounds', 'Array(Float64)'],
    ...exemplars,
    ['Flags', 'UInt32'],
    ['Min', 'Float64'],
    ['Max', 'Float64'],
    ['AggregationTemporality', 'Int32'],
  ]),
  metricsExponentialHistogram: layout('otel_metrics_exponential_histogram', 'collector (lib/otlp/rows/encodeMetricRows.ts)', 'other tools (Grafana, HyperDX)', [
    ...metricBase,
    ['Count', 'UInt64'],
    ['Sum', 'Float64'],
    ['Scale', 'Int32'],
    ['ZeroCount', 'UInt64'],
    ['PositiveOffset', 'Int32'],
    ['PositiveBucketCounts', 'Array(UInt64)'],
    ['NegativeOffset', 'Int32'],
    ['NegativeBucketCounts', 'Array(UInt64)'],
    ...exemplars,
    ['Flags', 'UInt32'],
    ['Min', 'Float64'],
    ['Max', 'Float64'],
    ['AggregationTemporality', 'Int32'],
  ]),
  metricsSummary: layout('otel_metrics_summary', 'collector (lib/otlp/rows/encodeMetricRows.ts)', 'other tools (Grafana, HyperDX)', [
    ...metricBase,
    ['Count', 'UInt64'],
    ['Sum', 'Float64'],
    ['ValueAtQuantiles.Quantile', 'Array(Float64)'],
    ['ValueAtQuantiles.Value', 'Array(Float64)'],
    ['Flags', 'UInt32'],
  ]),
  sloAlerts: layout('faultline_slo_alerts', 'SLO evaluator (lib/slo/alertStore.ts)', 'lib/slo/alertStore.ts, lib/slo/sloReport.ts', [
    ['Time', 'DateTime64(3)'],
    ['SloId', 'LowCardinality(String)'],
    ['State', 'LowCardinality(String)'],
    ['Severity', 'LowCardinality(String)'],
    ['Rule', 'LowCardinality(String)'],
    ['LongBurnRate', 'Float64'],
    ['ShortBurnRate', 'Float64'],
    ['ExampleTraceIds', 'Array(String)'],
    ['Message', 'String'],
  ]),
} as const;

/**
 * The embedded store's span rows on their way into otel_traces, one partition per insert, plus the
 * partition column `Batch` (lib/clickhouse/spanStaging.ts).
 */
export const stagedTraces = layout('faultline_traces_staging', 'collector on the embedded store (lib/clickhouse/writer.ts)', 'the span mover (lib/clickhouse/spanStaging.ts)', writtenTables.traces.columns);

/** Tables filled by materialized views (`ddl/`, `ddl/views/`), with what reads them. */
export const derivedTables = {
  otel_traces_trace_id_ts: 'trace by id: a trace\'s time bounds (lib/queries/traceSearch.ts)',
  faultline_slo_minutes: 'SLO counts (lib/slo/sloCounts.ts)',
  faultline_trace_summaries: 'trace search (lib/queries/traceSearch.ts)',
  faultline_trace_times: 'trace search (lib/queries/traceSearch.ts)',
  faultline_trace_spans: 'the trace view\'s waterfall (lib/queries/traceView.ts)',
  faultline_service_rollup: 'services overview (lib/queries/serviceRollup.ts); findings: each callee\'s longest answer (lib/findings/spanRows.ts)',
  faultline_breaker_points: 'breakers board, service map (lib/queries/breakerPoints.ts)',
  faultline_breaker_calls_minute: 'breakers board over long ranges (lib/queries/breakers.ts)',
  faultline_guarded_calls: 'findings: guarded calls per edge (lib/findings/spanRows.ts)',
} as const;

export type TableName = (typeof writtenTables)[keyof typeof writtenTables]['name'] | typeof stagedTraces.name | keyof typeof derivedTables;

export const tableNames: readonly TableName[] = [
  ...Object.values(writtenTables).map((table) => table.name),
  stagedTraces.name,
  ...(Object.keys(derivedTables) as (keyof typeof derivedTables)[]),
];

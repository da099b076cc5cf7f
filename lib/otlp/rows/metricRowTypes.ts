/**
 * Insert-ready metric rows, one type per `otel_metrics_*` table, and the checks both metric
 * decoders (protobuf and JSON) apply to a data point before it becomes a row. Keeping the checks
 * here means the two wire formats accept and reject exactly the same points, with the same reasons.
 */
import type { Attributes, ResourceInfo, ScopeInfo, Text } from './rowTypes';

/** What a Metric message says about itself; every data point row of the metric shares it. */
export type MetricInfo = { name: Text; description: Text; unit: Text };

export type ExemplarRow = {
  filteredAttributes: Attributes;
  time: bigint;
  /** as_double, or as_int converted to Float64 as the contrib exporter does. */
  value: number;
  spanId: string;
  traceId: string;
};

/** The columns every metric table starts with (ddl/partials/metrics_columns.sql) plus Flags. */
export type MetricPointBase = {
  resource: ResourceInfo;
  scope: ScopeInfo;
  metric: MetricInfo;
  attributes: Attributes;
  startTime: bigint;
  time: bigint;
  flags: number;
};

export type GaugeRow = MetricPointBase & { value: number; exemplars: ExemplarRow[] };

export type SumRow = GaugeRow & { aggregationTemporality: number; isMonotonic: boolean };

export type HistogramRow = MetricPointBase & {
  count: bigint;
  sum: number;
  bucketCounts: bigint[];
  explicitBounds: number[];
  exemplars: ExemplarRow[];
  min: number;
  max: number;
  aggregationTemporality: number;
};

export type ExpHistogramBuckets = { offset: number; bucketCounts: bigint[] };

export type ExpHistogramRow = MetricPointBase & {
  count: bigint;
  sum: number;
  scale: number;
  zeroCount: bigint;
  positive: ExpHistogramBuckets;
  negative: ExpHistogramBuckets;
  exemplars: ExemplarRow[];
  min: number;
  max: number;
  aggregationTemporality: number;
};

export type QuantileValue = { quantile: number; value: number };

/** Summaries carry no exemplars in OTLP, and the contrib table has no Exemplars columns for them. */
export type SummaryRow = MetricPointBase & { count: bigint; sum: number; quantiles: QuantileValue[] };

/**
 * What one metrics request decodes to. `rejected` counts data points (OTLP's
 * `rejected_data_points`); `rejectReason` is the first reason, for the partial-success message.
 */
export type DecodedMetrics = {
  gauge: GaugeRow[];
  sum: SumRow[];
  histogram: HistogramRow[];
  exponentialHistogram: ExpHistogramRow[];
  summary: SummaryRow[];
  rejected: number;
  rejectReason?: string;
};

export function emptyDecodedMetrics(): DecodedMetrics {
  return { gauge: [], sum: [], histogram: [], exponentialHistogram: [], summary: [], rejected: 0 };
}

export function rejectPoints(decoded: DecodedMetrics, reason: string, count = 1): void {
  decoded.rejected += count;
  decoded.rejectReason ??= reason;
}

export const aggregationTemporalityNames = [
  'AGGREGATION_TEMPORALITY_UNSPECIFIED',
  'AGGREGATION_TEMPORALITY_DELTA',
  'AGGREGATION_TEMPORALITY_CUMULATIVE',
] as const;

/**
 * DataPointFlags.NO_RECORDED_VALUE: the point marks a series as stale (Prometheus's staleness
 * marker) and legitimately has no value, so it is stored with Value 0 like the contrib exporter.
 */
export const noRecordedValueFlag = 1;

/** For rejection messages: metric names decoded from protobuf are still raw bytes. */
export function describeMetric(metric: MetricInfo): string {
  const name = typeof metric.name === 'string' ? metric.name : metric.name.toString('utf8');
  return `metric "${name}"`;
}

/**
 * Why a data point can't be stored, or undefined when it can. The spec says points with a zero
 * time_unix_nano SHOULD be rejected, and here storing one would silently lose it: it would land
 * in a 1970 partition that the retention TTL drops at once.
 */
export function invalidPointReason(point: MetricPointBase): string | undefined {
  if (point.time === 0n) return `${describeMetric(point.metric)}: data point without time_unix_nano`;
  return undefined;
}

/** A number point must carry as_double or as_int unless it is flagged as having no value. */
export function missingValueReason(metric: MetricInfo, flags: number): string | undefined {
  if ((flags & noRecordedValueFlag) !== 0) return undefined;
  return `${describeMetric(metric)}: number data point without as_double or as_int`;
}

/**
 * Bucket counts must be one more than the explicit bounds (the last bucket is open-ended), or both
 * absent (count and sum only). Any other shape can't be turned back into a distribution.
 */
export function histogramShapeReason(row: HistogramRow): string | undefined {
  if (row.bucketCounts.length === 0 || row.bucketCounts.length === row.explicitBounds.length + 1) return undefined;
  return (
    `${describeMetric(row.metric)}: histogram data point has ${row.bucketCounts.length} bucket_counts ` +
    `for ${row.explicitBounds.length} explicit_bounds (needs one more count than bounds)`
  );
}

export function exemplarIdReason(metric: MetricInfo): string {
  return `${describeMetric(metric)}: exemplar with an invalid trace_id or span_id (must be 16 and 8 bytes)`;
}

/** The deprecated Int{Gauge,Sum,Histogram} metric shapes (fields 4, 6, 8), removed from OTLP in 2021. */
export function legacyMetricReason(metric: MetricInfo): string {
  return `${describeMetric(metric)}: uses a removed pre-1.0 data type (IntGauge, IntSum or IntHistogram); send gauge, sum or histogram`;
}

/**
 * Metric rows → RowBinary for the five `otel_metrics_*` tables, each in the column order of its
 * `*Columns` list. The tables share a column prefix (ddl/partials/metrics_columns.sql) and the
 * Exemplars nested columns (ddl/partials/metrics_exemplars.sql), so those are written by one
 * helper each, in the same order as the DDL.
 */
import type {
  DecodedMetrics,
  ExemplarRow,
  ExpHistogramRow,
  GaugeRow,
  HistogramRow,
  MetricPointBase,
  SumRow,
  SummaryRow,
} from './metricRows';
import { RowBinaryWriter } from './rowBinary';

export const metricBaseColumns = [
  'ResourceAttributes',
  'ResourceSchemaUrl',
  'ScopeName',
  'ScopeVersion',
  'ScopeAttributes',
  'ScopeDroppedAttrCount',
  'ScopeSchemaUrl',
  'ServiceName',
  'MetricName',
  'MetricDescription',
  'MetricUnit',
  'Attributes',
  'StartTimeUnix',
  'TimeUnix',
] as const;

/** A Nested column is inserted as one array column per member, all of the same length. */
export const exemplarColumns = [
  'Exemplars.FilteredAttributes',
  'Exemplars.TimeUnix',
  'Exemplars.Value',
  'Exemplars.SpanId',
  'Exemplars.TraceId',
] as const;

export const gaugeColumns = [...metricBaseColumns, 'Value', 'Flags', ...exemplarColumns] as const;

export const sumColumns = [...gaugeColumns, 'AggregationTemporality', 'IsMonotonic'] as const;

export const histogramColumns = [
  ...metricBaseColumns,
  'Count',
  'Sum',
  'BucketCounts',
  'ExplicitBounds',
  ...exemplarColumns,
  'Flags',
  'Min',
  'Max',
  'AggregationTemporality',
] as const;

export const expHistogramColumns = [
  ...metricBaseColumns,
  'Count',
  'Sum',
  'Scale',
  'ZeroCount',
  'PositiveOffset',
  'PositiveBucketCounts',
  'NegativeOffset',
  'NegativeBucketCounts',
  ...exemplarColumns,
  'Flags',
  'Min',
  'Max',
  'AggregationTemporality',
] as const;

export const summaryColumns = [
  ...metricBaseColumns,
  'Count',
  'Sum',
  'ValueAtQuantiles.Quantile',
  'ValueAtQuantiles.Value',
  'Flags',
] as const;

/** The `metricBaseColumns`. */
function writeBase(out: RowBinaryWriter, row: MetricPointBase): void {
  out.map(row.resource.attributes);
  out.string(row.resource.schemaUrl);
  out.string(row.scope.name);
  out.string(row.scope.version);
  out.map(row.scope.attributes);
  out.uint32(row.scope.droppedAttributesCount);
  out.string(row.scope.schemaUrl);
  out.string(row.resource.serviceName);
  out.string(row.metric.name);
  out.string(row.metric.description);
  out.string(row.metric.unit);
  out.map(row.attributes);
  out.dateTime64(row.startTime);
  out.dateTime64(row.time);
}

/** The `exemplarColumns`. */
function writeExemplars(out: RowBinaryWriter, exemplars: readonly ExemplarRow[]): void {
  out.array(exemplars, (exemplar) => out.map(exemplar.filteredAttributes));
  out.array(exemplars, (exemplar) => out.dateTime64(exemplar.time));
  out.array(exemplars, (exemplar) => out.float64(exemplar.value));
  out.array(exemplars, (exemplar) => out.string(exemplar.spanId));
  out.array(exemplars, (exemplar) => out.string(exemplar.traceId));
}

function writeUint64s(out: RowBinaryWriter, values: readonly bigint[]): void {
  out.array(values, (value) => out.uint64(value));
}

function writeFloat64s(out: RowBinaryWriter, values: readonly number[]): void {
  out.array(values, (value) => out.float64(value));
}

/** Gauge and sum rows begin alike; a sum row only appends its two columns. */
function writeNumberPoint(out: RowBinaryWriter, row: GaugeRow): void {
  writeBase(out, row);
  out.float64(row.value);
  out.uint32(row.flags);
  writeExemplars(out, row.exemplars);
}

export function encodeGauge(rows: readonly GaugeRow[], out = new RowBinaryWriter()): RowBinaryWriter {
  for (const row of rows) writeNumberPoint(out, row);
  return out;
}

export function encodeSum(rows: readonly SumRow[], out = new RowBinaryWriter()): RowBinaryWriter {
  for (const row of rows) {
    writeNumberPoint(out, row);
    out.int32(row.aggregationTemporality);
    out.bool(row.isMonotonic);
  }
  return out;
}

export function encodeHistogram(rows: readonly HistogramRow[], out = new RowBinaryWriter()): RowBinaryWriter {
  for (const row of rows) {
    writeBase(out, row);
    out.uint64(row.count);
    out.float64(row.sum);
    writeUint64s(out, row.bucketCounts);
    writeFloat64s(out, row.explicitBounds);
    writeHistogramTail(out, row);
  }
  return out;
}

export function encodeExpHistogram(rows: readonly ExpHistogramRow[], out = new RowBinaryWriter()): RowBinaryWriter {
  for (const row of rows) {
    writeBase(out, row);
    out.uint64(row.count);
    out.float64(row.sum);
    out.int32(row.scale);
    out.uint64(row.zeroCount);
    out.int32(row.positive.offset);
    writeUint64s(out, row.positive.bucketCounts);
    out.int32(row.negative.offset);
    writeUint64s(out, row.negative.bucketCounts);
    writeHistogramTail(out, row);
  }
  return out;
}

/** The columns both histogram tables end with, in their order. */
function writeHistogramTail(out: RowBinaryWriter, row: HistogramRow | ExpHistogramRow): void {
  writeExemplars(out, row.exemplars);
  out.uint32(row.flags);
  out.float64(row.min);
  out.float64(row.max);
  out.int32(row.aggregationTemporality);
}

export function encodeSummary(rows: readonly SummaryRow[], out = new RowBinaryWriter()): RowBinaryWriter {
  for (const row of rows) {
    writeBase(out, row);
    out.uint64(row.count);
    out.float64(row.sum);
    out.array(row.quantiles, (quantile) => out.float64(quantile.quantile));
    out.array(row.quantiles, (quantile) => out.float64(quantile.value));
    out.uint32(row.flags);
  }
  return out;
}

export const metricTableNames = {
  gauge: 'otel_metrics_gauge',
  sum: 'otel_metrics_sum',
  histogram: 'otel_metrics_histogram',
  exponentialHistogram: 'otel_metrics_exponential_histogram',
  summary: 'otel_metrics_summary',
} as const;

/** One table's share of a decoded request (the shape the collector's batch processor takes). */
export type MetricTableChunk = { table: string; columns: readonly string[]; rows: Buffer; count: number };

/** Every non-empty table's rows of one decoded request, encoded. */
export function encodeMetricTables(decoded: DecodedMetrics): MetricTableChunk[] {
  const chunks: MetricTableChunk[] = [];
  const add = <Row>(table: string, columns: readonly string[], rows: readonly Row[], encode: (rows: readonly Row[]) => RowBinaryWriter) => {
    if (rows.length > 0) chunks.push({ table, columns, rows: encode(rows).finish(), count: rows.length });
  };
  add(metricTableNames.gauge, gaugeColumns, decoded.gauge, encodeGauge);
  add(metricTableNames.sum, sumColumns, decoded.sum, encodeSum);
  add(metricTableNames.histogram, histogramColumns, decoded.histogram, encodeHistogram);
  add(metricTableNames.exponentialHistogram, expHistogramColumns, decoded.exponentialHistogram, encodeExpHistogram);
  add(metricTableNames.summary, summaryColumns, decoded.summary, encodeSummary);
  return chunks;
}

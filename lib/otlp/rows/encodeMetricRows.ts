/**
 * Metric rows → RowBinary for the five `otel_metrics_*` tables, each in the column order of its
 * layout in lib/clickhouse/tables.ts. The tables share a column prefix (ddl/partials/metrics_columns.sql)
 * and the Exemplars nested columns (ddl/partials/metrics_exemplars.sql), so those are written by one
 * helper each, in the same order as the DDL.
 */
import { writtenTables, type TableLayout } from '../../clickhouse/tables';
import type {
  DecodedMetrics,
  ExemplarRow,
  ExpHistogramRow,
  GaugeRow,
  HistogramRow,
  MetricPointBase,
  SumRow,
  SummaryRow,
} from './metricRowTypes';
import { RowBinaryWriter } from './rowBinaryWriter';
import type { TableChunk } from './tableChunk';

/** The columns every metric table starts with. */
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

/** A Nested column is inserted as one array column per member, all of the same length. */
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

function encodeGauge(rows: readonly GaugeRow[], out = new RowBinaryWriter()): RowBinaryWriter {
  for (const row of rows) writeNumberPoint(out, row);
  return out;
}

function encodeSum(rows: readonly SumRow[], out = new RowBinaryWriter()): RowBinaryWriter {
  for (const row of rows) {
    writeNumberPoint(out, row);
    out.int32(row.aggregationTemporality);
    out.bool(row.isMonotonic);
  }
  return out;
}

function encodeHistogram(rows: readonly HistogramRow[], out = new RowBinaryWriter()): RowBinaryWriter {
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

function encodeExpHistogram(rows: readonly ExpHistogramRow[], out = new RowBinaryWriter()): RowBinaryWriter {
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

function encodeSummary(rows: readonly SummaryRow[], out = new RowBinaryWriter()): RowBinaryWriter {
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

/** Every non-empty table's rows of one decoded request, encoded. */
export function encodeMetricRows(decoded: DecodedMetrics): TableChunk[] {
  const chunks: TableChunk[] = [];
  const add = <Row>(table: TableLayout, rows: readonly Row[], encode: (rows: readonly Row[]) => RowBinaryWriter) => {
    if (rows.length > 0) chunks.push({ table, rows: encode(rows).finish(), count: rows.length });
  };
  add(writtenTables.metricsGauge, decoded.gauge, encodeGauge);
  add(writtenTables.metricsSum, decoded.sum, encodeSum);
  add(writtenTables.metricsHistogram, decoded.histogram, encodeHistogram);
  add(writtenTables.metricsExponentialHistogram, decoded.exponentialHistogram, encodeExpHistogram);
  add(writtenTables.metricsSummary, decoded.summary, encodeSummary);
  return chunks;
}

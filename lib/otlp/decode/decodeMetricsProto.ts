/**
 * ExportMetricsServiceRequest (protobuf) → rows for the five `otel_metrics_*` tables, straight
 * from the wire. Field numbers from opentelemetry-proto's metrics/v1/metrics.proto. A data point
 * that can't be stored is rejected and counted (partial success); a body that isn't valid
 * protobuf throws an `OtlpDecodeError`.
 */
import { idFromBytes, isAllZero, spanIdBytes, traceIdBytes } from './hexIds';
import {
  emptyDecodedMetrics,
  exemplarIdReason,
  histogramShapeReason,
  invalidPointReason,
  legacyMetricReason,
  missingValueReason,
  rejectPoints,
  type DecodedMetrics,
  type ExemplarRow,
  type ExpHistogramBuckets,
  type ExpHistogramRow,
  type GaugeRow,
  type HistogramRow,
  type MetricInfo,
  type MetricPointBase,
  type QuantileValue,
  type SumRow,
  type SummaryRow,
} from '../rows/metricRowTypes';
import { readKeyValue, readRequest } from './protoFields';
import { ProtoReader, WireType } from './protoReader';
import type { ResourceInfo, ScopeInfo } from '../rows/rowTypes';

export function decodeMetricsProto(body: Buffer): DecodedMetrics {
  const decoded = emptyDecodedMetrics();
  readRequest(body, (resource, scope, item) => readMetric(item, resource, scope, decoded));
  return decoded;
}

type MetricContext = { resource: ResourceInfo; scope: ScopeInfo; metric: MetricInfo };

/** The data message of a metric: Gauge, Sum, Histogram, ExponentialHistogram or Summary. */
type MetricData = { points: ProtoReader[]; temporality: number; monotonic: boolean };

function readMetric(reader: ProtoReader, resource: ResourceInfo, scope: ScopeInfo, decoded: DecodedMetrics): void {
  const metric: MetricInfo = { name: '', description: '', unit: '' };
  let dataField = 0;
  let dataReader: ProtoReader | undefined;
  // The name may follow the data on the wire, so the data is decoded after the whole message.
  while (!reader.done) {
    const field = reader.tag();
    if (field === 1) metric.name = text(reader, 'Metric.name');
    else if (field === 2) metric.description = text(reader, 'Metric.description');
    else if (field === 3) metric.unit = text(reader, 'Metric.unit');
    else if (field >= 4 && field <= 11) {
      reader.expect(WireType.bytes, 'Metric.data');
      dataField = field;
      dataReader = reader.message();
    } else reader.skip();
  }
  // A metric without data (allowed by the spec for metadata-only metrics) has no rows to store.
  if (!dataReader) return;
  const data = readData(dataReader);
  const context: MetricContext = { resource, scope, metric };
  switch (dataField) {
    case 5:
      keepValid(data.points, (point) => readNumberPoint(point, context), decoded.gauge, decoded);
      return;
    case 7:
      keepValid(
        data.points,
        (point) => {
          const row = readNumberPoint(point, context);
          return typeof row === 'string' ? row : { ...row, aggregationTemporality: data.temporality, isMonotonic: data.monotonic } satisfies SumRow;
        },
        decoded.sum,
        decoded,
      );
      return;
    case 9:
      keepValid(data.points, (point) => readHistogramPoint(point, context, data.temporality), decoded.histogram, decoded);
      return;
    case 10:
      keepValid(data.points, (point) => readExpHistogramPoint(point, context, data.temporality), decoded.exponentialHistogram, decoded);
      return;
    case 11:
      keepValid(data.points, (point) => readSummaryPoint(point, context), decoded.summary, decoded);
      return;
    case 4:
    case 6:
    case 8:
      if (data.points.length > 0) rejectPoints(decoded, legacyMetricReason(metric), data.points.length);
      return;
    default:
    // Fields 4–11 not listed above are unassigned in the spec: ignored like any unknown field.
  }
}

function readData(reader: ProtoReader): MetricData {
  const data: MetricData = { points: [], temporality: 0, monotonic: false };
  while (!reader.done) {
    const field = reader.tag();
    if (field === 1) {
      reader.expect(WireType.bytes, 'data_points');
      data.points.push(reader.message());
    } else if (field === 2 && reader.wireType === WireType.varint) data.temporality = reader.uint32() | 0;
    else if (field === 3 && reader.wireType === WireType.varint) data.monotonic = reader.bool();
    else reader.skip();
  }
  return data;
}

function keepValid<Row extends MetricPointBase>(
  points: ProtoReader[],
  read: (point: ProtoReader) => Row | string,
  into: Row[],
  decoded: DecodedMetrics,
): void {
  for (const point of points) {
    const row = read(point);
    const reason = typeof row === 'string' ? row : invalidPointReason(row);
    if (reason !== undefined) rejectPoints(decoded, reason);
    else into.push(row as Row);
  }
}

/** Where a data point type keeps the fields every point type has (the numbers differ by type). */
type PointLayout = { name: string; attributes: number; flags: number; exemplars?: number };

/** A point being read: its shared columns, its exemplars, and whether an exemplar was malformed. */
type PointState = { base: MetricPointBase; exemplars: ExemplarRow[]; badExemplar: boolean };

function newPoint(context: MetricContext): PointState {
  return { base: { ...context, attributes: [], startTime: 0n, time: 0n, flags: 0 }, exemplars: [], badExemplar: false };
}

/** Reads one of the fields all point types share; false when `field` is a type-specific one. */
function readSharedField(reader: ProtoReader, field: number, state: PointState, layout: PointLayout): boolean {
  if (field === layout.attributes) {
    reader.expect(WireType.bytes, `${layout.name}.attributes`);
    readKeyValue(reader, state.base.attributes);
  } else if (field === 2) state.base.startTime = fixed64(reader, `${layout.name}.start_time_unix_nano`);
  else if (field === 3) state.base.time = fixed64(reader, `${layout.name}.time_unix_nano`);
  else if (field === layout.flags) {
    reader.expect(WireType.varint, `${layout.name}.flags`);
    state.base.flags = reader.uint32();
  } else if (field === layout.exemplars) {
    reader.expect(WireType.bytes, `${layout.name}.exemplars`);
    const exemplar = readExemplar(reader.message());
    if (exemplar) state.exemplars.push(exemplar);
    else state.badExemplar = true;
  } else return false;
  return true;
}

const numberLayout: PointLayout = { name: 'NumberDataPoint', attributes: 7, flags: 8, exemplars: 5 };

function readNumberPoint(reader: ProtoReader, context: MetricContext): GaugeRow | string {
  const state = newPoint(context);
  let value: number | undefined;
  while (!reader.done) {
    const field = reader.tag();
    if (readSharedField(reader, field, state, numberLayout)) continue;
    if (field === 4) value = double(reader, 'NumberDataPoint.as_double');
    else if (field === 6) {
      reader.expect(WireType.fixed64, 'NumberDataPoint.as_int');
      value = Number(reader.sfixed64());
    } else reader.skip();
  }
  if (state.badExemplar) return exemplarIdReason(context.metric);
  if (value === undefined) {
    const reason = missingValueReason(context.metric, state.base.flags);
    if (reason !== undefined) return reason;
  }
  return { ...state.base, value: value ?? 0, exemplars: state.exemplars };
}

const histogramLayout: PointLayout = { name: 'HistogramDataPoint', attributes: 9, flags: 10, exemplars: 8 };

function readHistogramPoint(reader: ProtoReader, context: MetricContext, temporality: number): HistogramRow | string {
  const state = newPoint(context);
  const fields = { count: 0n, sum: 0, min: 0, max: 0, bucketCounts: [] as bigint[], explicitBounds: [] as number[] };
  while (!reader.done) {
    const field = reader.tag();
    if (readSharedField(reader, field, state, histogramLayout)) continue;
    if (field === 4) fields.count = fixed64(reader, 'HistogramDataPoint.count');
    else if (field === 5) fields.sum = double(reader, 'HistogramDataPoint.sum');
    else if (field === 6) reader.repeatedFixed64(fields.bucketCounts);
    else if (field === 7) reader.repeatedDouble(fields.explicitBounds);
    else if (field === 11) fields.min = double(reader, 'HistogramDataPoint.min');
    else if (field === 12) fields.max = double(reader, 'HistogramDataPoint.max');
    else reader.skip();
  }
  if (state.badExemplar) return exemplarIdReason(context.metric);
  const row: HistogramRow = { ...state.base, ...fields, exemplars: state.exemplars, aggregationTemporality: temporality };
  return histogramShapeReason(row) ?? row;
}

const expHistogramLayout: PointLayout = { name: 'ExponentialHistogramDataPoint', attributes: 1, flags: 10, exemplars: 11 };

function readExpHistogramPoint(reader: ProtoReader, context: MetricContext, temporality: number): ExpHistogramRow | string {
  const state = newPoint(context);
  const fields = { count: 0n, sum: 0, scale: 0, zeroCount: 0n, min: 0, max: 0 };
  let positive: ExpHistogramBuckets = { offset: 0, bucketCounts: [] };
  let negative: ExpHistogramBuckets = { offset: 0, bucketCounts: [] };
  // zero_threshold (14) is skipped: the contrib table has no column for it.
  while (!reader.done) {
    const field = reader.tag();
    if (readSharedField(reader, field, state, expHistogramLayout)) continue;
    if (field === 4) fields.count = fixed64(reader, 'ExponentialHistogramDataPoint.count');
    else if (field === 5) fields.sum = double(reader, 'ExponentialHistogramDataPoint.sum');
    else if (field === 6) {
      reader.expect(WireType.varint, 'ExponentialHistogramDataPoint.scale');
      fields.scale = reader.sint32();
    } else if (field === 7) fields.zeroCount = fixed64(reader, 'ExponentialHistogramDataPoint.zero_count');
    else if (field === 8) positive = readBuckets(reader, 'ExponentialHistogramDataPoint.positive');
    else if (field === 9) negative = readBuckets(reader, 'ExponentialHistogramDataPoint.negative');
    else if (field === 12) fields.min = double(reader, 'ExponentialHistogramDataPoint.min');
    else if (field === 13) fields.max = double(reader, 'ExponentialHistogramDataPoint.max');
    else reader.skip();
  }
  if (state.badExemplar) return exemplarIdReason(context.metric);
  return { ...state.base, ...fields, positive, negative, exemplars: state.exemplars, aggregationTemporality: temporality };
}

function readBuckets(reader: ProtoReader, name: string): ExpHistogramBuckets {
  reader.expect(WireType.bytes, name);
  const inner = reader.message();
  const buckets: ExpHistogramBuckets = { offset: 0, bucketCounts: [] };
  while (!inner.done) {
    const field = inner.tag();
    if (field === 1) {
      inner.expect(WireType.varint, `${name}.offset`);
      buckets.offset = inner.sint32();
    } else if (field === 2) inner.repeatedUint64(buckets.bucketCounts);
    else inner.skip();
  }
  return buckets;
}

const summaryLayout: PointLayout = { name: 'SummaryDataPoint', attributes: 7, flags: 8 };

function readSummaryPoint(reader: ProtoReader, context: MetricContext): SummaryRow {
  const state = newPoint(context);
  let count = 0n;
  let sum = 0;
  const quantiles: QuantileValue[] = [];
  while (!reader.done) {
    const field = reader.tag();
    if (readSharedField(reader, field, state, summaryLayout)) continue;
    if (field === 4) count = fixed64(reader, 'SummaryDataPoint.count');
    else if (field === 5) sum = double(reader, 'SummaryDataPoint.sum');
    else if (field === 6) {
      reader.expect(WireType.bytes, 'SummaryDataPoint.quantile_values');
      const inner = reader.message();
      const quantile: QuantileValue = { quantile: 0, value: 0 };
      while (!inner.done) {
        const innerField = inner.tag();
        if (innerField === 1) quantile.quantile = double(inner, 'ValueAtQuantile.quantile');
        else if (innerField === 2) quantile.value = double(inner, 'ValueAtQuantile.value');
        else inner.skip();
      }
      quantiles.push(quantile);
    } else reader.skip();
  }
  return { ...state.base, count, sum, quantiles };
}

/** An exemplar, or undefined when an id has the wrong length (all-zero ids mean "none", as in pdata). */
function readExemplar(reader: ProtoReader): ExemplarRow | undefined {
  const exemplar: ExemplarRow = { filteredAttributes: [], time: 0n, value: 0, spanId: '', traceId: '' };
  let spanId: Buffer = Buffer.alloc(0);
  let traceId: Buffer = Buffer.alloc(0);
  while (!reader.done) {
    const field = reader.tag();
    if (field === 7) {
      reader.expect(WireType.bytes, 'Exemplar.filtered_attributes');
      readKeyValue(reader, exemplar.filteredAttributes);
    } else if (field === 2) exemplar.time = fixed64(reader, 'Exemplar.time_unix_nano');
    else if (field === 3) exemplar.value = double(reader, 'Exemplar.as_double');
    else if (field === 6) {
      reader.expect(WireType.fixed64, 'Exemplar.as_int');
      exemplar.value = Number(reader.sfixed64());
    } else if (field === 4) {
      reader.expect(WireType.bytes, 'Exemplar.span_id');
      spanId = reader.bytes();
    } else if (field === 5) {
      reader.expect(WireType.bytes, 'Exemplar.trace_id');
      traceId = reader.bytes();
    } else reader.skip();
  }
  const span = idFromBytes(spanId, spanIdBytes);
  const trace = idFromBytes(traceId, traceIdBytes);
  if (span === undefined || trace === undefined) return undefined;
  exemplar.spanId = isAllZero(span) ? '' : span;
  exemplar.traceId = isAllZero(trace) ? '' : trace;
  return exemplar;
}

function text(reader: ProtoReader, name: string): Buffer {
  reader.expect(WireType.bytes, name);
  return reader.bytes();
}

function fixed64(reader: ProtoReader, name: string): bigint {
  reader.expect(WireType.fixed64, name);
  return reader.fixed64();
}

function double(reader: ProtoReader, name: string): number {
  reader.expect(WireType.fixed64, name);
  return reader.double();
}

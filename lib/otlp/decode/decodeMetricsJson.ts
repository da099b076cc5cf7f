/**
 * ExportMetricsServiceRequest (OTLP/JSON) → rows for the five `otel_metrics_*` tables. 64-bit
 * integers may be strings or numbers, ids are hex, enums are integers (or their names). A value
 * of the wrong type throws an `OtlpDecodeError` naming its path; a data point that can't be
 * stored is rejected with the same reasons as the protobuf decoder.
 */
import { OtlpDecodeError } from './decodeError';
import { idFromHex, isAllZero, spanIdBytes, traceIdBytes } from './hexIds';
import {
  asArray,
  asEnum,
  asInteger,
  asNanos,
  asNumber,
  asObject,
  asString,
  field,
  parseJsonBody,
  readAttributes,
  walkJsonRequest,
  type JsonObject,
} from './jsonFields';
import {
  aggregationTemporalityNames,
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
  type SumRow,
  type SummaryRow,
} from '../rows/metricRowTypes';
import type { ResourceInfo, ScopeInfo } from '../rows/rowTypes';

/** uint64 counts share the nanosecond-time rules: a decimal string or a non-negative integer. */
const asUint64 = asNanos;

type MetricContext = { resource: ResourceInfo; scope: ScopeInfo; metric: MetricInfo };

export function decodeMetricsJson(body: Buffer): DecodedMetrics {
  const decoded = emptyDecodedMetrics();
  const names = { resources: 'resourceMetrics', scopes: 'scopeMetrics', items: 'metrics' };
  walkJsonRequest(parseJsonBody(body), names, (resource, scope, metric, path) => readMetric(metric, path, { resource, scope, metric: readMetricInfo(metric, path) }, decoded));
  return decoded;
}

function readMetricInfo(metric: JsonObject, path: string): MetricInfo {
  return {
    name: asString(field(metric, 'name'), `${path}.name`),
    description: asString(field(metric, 'description'), `${path}.description`),
    unit: asString(field(metric, 'unit'), `${path}.unit`),
  };
}

/** The data-point objects of one data member (`gauge`, `sum`, …), each with its path. */
function dataPoints(data: JsonObject, path: string): [JsonObject, string][] {
  return asArray(field(data, 'dataPoints'), `${path}.dataPoints`).map((point, i) => {
    const pointPath = `${path}.dataPoints[${i}]`;
    return [asObject(point, pointPath), pointPath];
  });
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function readMetric(metric: JsonObject, path: string, context: MetricContext, decoded: DecodedMetrics): void {
  // `data` is a oneof: the first member present is the metric's data, as a protobuf reader would see one.
  for (const member of ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] as const) {
    const value = field(metric, member);
    if (!present(value)) continue;
    const dataPath = `${path}.${member}`;
    const data = asObject(value, dataPath);
    const points = dataPoints(data, dataPath);
    const temporality = () => asEnum(field(data, 'aggregationTemporality'), `${dataPath}.aggregationTemporality`, aggregationTemporalityNames);
    if (member === 'gauge') keepValid(points, (point, p) => readNumberPoint(point, p, context), decoded.gauge, decoded);
    else if (member === 'sum') {
      const aggregationTemporality = temporality();
      const isMonotonic = asBoolean(field(data, 'isMonotonic'), `${dataPath}.isMonotonic`);
      keepValid(points, (point, p) => withSum(readNumberPoint(point, p, context), aggregationTemporality, isMonotonic), decoded.sum, decoded);
    } else if (member === 'histogram') {
      const aggregationTemporality = temporality();
      keepValid(points, (point, p) => readHistogramPoint(point, p, context, aggregationTemporality), decoded.histogram, decoded);
    } else if (member === 'exponentialHistogram') {
      const aggregationTemporality = temporality();
      keepValid(points, (point, p) => readExpHistogramPoint(point, p, context, aggregationTemporality), decoded.exponentialHistogram, decoded);
    } else keepValid(points, (point, p) => readSummaryPoint(point, p, context), decoded.summary, decoded);
    return;
  }
  // The pre-1.0 Int* shapes: rejected (counted) rather than silently dropped.
  for (const legacy of ['intGauge', 'intSum', 'intHistogram']) {
    const value = field(metric, legacy);
    if (!present(value)) continue;
    const count = dataPoints(asObject(value, `${path}.${legacy}`), `${path}.${legacy}`).length;
    if (count > 0) rejectPoints(decoded, legacyMetricReason(context.metric), count);
    return;
  }
  // No data member at all: nothing to store.
}

function keepValid<Row extends MetricPointBase>(
  points: [JsonObject, string][],
  read: (point: JsonObject, path: string) => Row | string,
  into: Row[],
  decoded: DecodedMetrics,
): void {
  for (const [point, path] of points) {
    const row = read(point, path);
    const reason = typeof row === 'string' ? row : invalidPointReason(row);
    if (reason !== undefined) rejectPoints(decoded, reason);
    else into.push(row as Row);
  }
}

function readBase(point: JsonObject, path: string, context: MetricContext): MetricPointBase {
  return {
    ...context,
    attributes: readAttributes(field(point, 'attributes'), `${path}.attributes`),
    startTime: asNanos(field(point, 'startTimeUnixNano'), `${path}.startTimeUnixNano`),
    time: asNanos(field(point, 'timeUnixNano'), `${path}.timeUnixNano`),
    flags: asInteger(field(point, 'flags'), `${path}.flags`),
  };
}

function withSum(row: GaugeRow | string, aggregationTemporality: number, isMonotonic: boolean): SumRow | string {
  return typeof row === 'string' ? row : { ...row, aggregationTemporality, isMonotonic };
}

/** as_double / as_int (int64 as a string or a number), converted to Float64; undefined when absent. */
function readValue(point: JsonObject, path: string): number | undefined {
  const double = field(point, 'asDouble');
  if (present(double)) return asNumber(double, `${path}.asDouble`);
  const int = field(point, 'asInt');
  if (present(int)) return asInteger(int, `${path}.asInt`);
  return undefined;
}

function readNumberPoint(point: JsonObject, path: string, context: MetricContext): GaugeRow | string {
  const base = readBase(point, path, context);
  const exemplars = readExemplars(point, path);
  if (!exemplars) return exemplarIdReason(context.metric);
  const value = readValue(point, path);
  const missing = value === undefined ? missingValueReason(context.metric, base.flags) : undefined;
  return missing ?? { ...base, value: value ?? 0, exemplars };
}

function readHistogramPoint(point: JsonObject, path: string, context: MetricContext, aggregationTemporality: number): HistogramRow | string {
  const base = readBase(point, path, context);
  const exemplars = readExemplars(point, path);
  if (!exemplars) return exemplarIdReason(context.metric);
  const row: HistogramRow = {
    ...base,
    count: asUint64(field(point, 'count'), `${path}.count`),
    sum: asNumber(field(point, 'sum'), `${path}.sum`),
    bucketCounts: asArray(field(point, 'bucketCounts'), `${path}.bucketCounts`).map((count, i) => asUint64(count, `${path}.bucketCounts[${i}]`)),
    explicitBounds: asArray(field(point, 'explicitBounds'), `${path}.explicitBounds`).map((bound, i) => asNumber(bound, `${path}.explicitBounds[${i}]`)),
    exemplars,
    min: asNumber(field(point, 'min'), `${path}.min`),
    max: asNumber(field(point, 'max'), `${path}.max`),
    aggregationTemporality,
  };
  return histogramShapeReason(row) ?? row;
}

function readExpHistogramPoint(point: JsonObject, path: string, context: MetricContext, aggregationTemporality: number): ExpHistogramRow | string {
  const base = readBase(point, path, context);
  const exemplars = readExemplars(point, path);
  if (!exemplars) return exemplarIdReason(context.metric);
  return {
    ...base,
    count: asUint64(field(point, 'count'), `${path}.count`),
    sum: asNumber(field(point, 'sum'), `${path}.sum`),
    scale: asInteger(field(point, 'scale'), `${path}.scale`),
    zeroCount: asUint64(field(point, 'zeroCount'), `${path}.zeroCount`),
    positive: readBuckets(field(point, 'positive'), `${path}.positive`),
    negative: readBuckets(field(point, 'negative'), `${path}.negative`),
    exemplars,
    min: asNumber(field(point, 'min'), `${path}.min`),
    max: asNumber(field(point, 'max'), `${path}.max`),
    aggregationTemporality,
  };
}

function readBuckets(value: unknown, path: string): ExpHistogramBuckets {
  const buckets = asObject(value, path);
  return {
    offset: asInteger(field(buckets, 'offset'), `${path}.offset`),
    bucketCounts: asArray(field(buckets, 'bucketCounts'), `${path}.bucketCounts`).map((count, i) => asUint64(count, `${path}.bucketCounts[${i}]`)),
  };
}

function readSummaryPoint(point: JsonObject, path: string, context: MetricContext): SummaryRow {
  return {
    ...readBase(point, path, context),
    count: asUint64(field(point, 'count'), `${path}.count`),
    sum: asNumber(field(point, 'sum'), `${path}.sum`),
    quantiles: asArray(field(point, 'quantileValues'), `${path}.quantileValues`).map((entry, i) => {
      const quantilePath = `${path}.quantileValues[${i}]`;
      const quantile = asObject(entry, quantilePath);
      return {
        quantile: asNumber(field(quantile, 'quantile'), `${quantilePath}.quantile`),
        value: asNumber(field(quantile, 'value'), `${quantilePath}.value`),
      };
    }),
  };
}

/** The point's exemplars, or undefined when an id isn't valid hex of the right length. */
function readExemplars(point: JsonObject, path: string): ExemplarRow[] | undefined {
  const exemplars: ExemplarRow[] = [];
  const entries = asArray(field(point, 'exemplars'), `${path}.exemplars`);
  for (let i = 0; i < entries.length; i++) {
    const exemplarPath = `${path}.exemplars[${i}]`;
    const exemplar = asObject(entries[i], exemplarPath);
    const spanId = idFromHex(field(exemplar, 'spanId'), spanIdBytes);
    const traceId = idFromHex(field(exemplar, 'traceId'), traceIdBytes);
    if (spanId === undefined || traceId === undefined) return undefined;
    exemplars.push({
      filteredAttributes: readAttributes(field(exemplar, 'filteredAttributes'), `${exemplarPath}.filteredAttributes`),
      time: asNanos(field(exemplar, 'timeUnixNano'), `${exemplarPath}.timeUnixNano`),
      value: readValue(exemplar, exemplarPath) ?? 0,
      // All-zero ids mean "no span", as in the collector's pdata.
      spanId: isAllZero(spanId) ? '' : spanId,
      traceId: isAllZero(traceId) ? '' : traceId,
    });
  }
  return exemplars;
}

function asBoolean(value: unknown, path: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw new OtlpDecodeError(`${path}: expected a boolean, got ${Array.isArray(value) ? 'an array' : `a ${typeof value}`}`);
  return value;
}

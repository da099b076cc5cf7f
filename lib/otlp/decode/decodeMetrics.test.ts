import { describe, expect, it } from 'vitest';
import { encodeMetricsRequest } from '../../../tests/support/otlpMetricsProto';
import { decodeMetricsJson } from './decodeMetricsJson';
import { decodeMetricsProto } from './decodeMetricsProto';
import { OtlpDecodeError } from './decodeError';
import type { DecodedMetrics } from '../rows/metricRowTypes';

const time = '1764000000000000000';
const traceId = Buffer.from('5b8efff798038103d269b633813fc60c', 'hex');
const spanId = Buffer.from('eee19b7ec3c1b174', 'hex');

function request(metrics: object[]): Record<string, unknown> {
  return { resourceMetrics: [{ scopeMetrics: [{ metrics }] }] };
}

/** OTLP/JSON of a request in protobufjs object form: the same camelCase names, ids as hex. */
function toJson(value: Record<string, unknown>): Buffer {
  return Buffer.from(
    JSON.stringify(value, (_key, item: unknown) =>
      item && typeof item === 'object' && (item as { type?: unknown }).type === 'Buffer' ? Buffer.from((item as { data: number[] }).data).toString('hex') : item,
    ),
  );
}

/** Decodes one request through both wire formats, which must agree on what they keep and reject. */
const encodings: [string, (metrics: object[]) => DecodedMetrics][] = [
  ['protobuf', (metrics) => decodeMetricsProto(encodeMetricsRequest(request(metrics)))],
  ['JSON', (metrics) => decodeMetricsJson(toJson(request(metrics)))],
];

describe.each(encodings)('decoding OTLP/%s metrics', (_encoding, decode) => {
  it('rejects data points without a time, counting them and keeping the rest', () => {
    const decoded = decode([{ name: 'g', gauge: { dataPoints: [{ asDouble: 1 }, { timeUnixNano: time, asDouble: 2 }] } }]);
    expect(decoded.gauge.map((row) => row.value)).toEqual([2]);
    expect(decoded.rejected).toBe(1);
    expect(decoded.rejectReason).toBe('metric "g": data point without time_unix_nano');
  });

  it('rejects number data points without a value', () => {
    const decoded = decode([{ name: 'g', gauge: { dataPoints: [{ timeUnixNano: time }] } }]);
    expect(decoded.gauge).toEqual([]);
    expect(decoded.rejected).toBe(1);
    expect(decoded.rejectReason).toMatch(/without as_double or as_int/);
  });

  it('keeps a value-less point flagged NO_RECORDED_VALUE, with Value 0', () => {
    const decoded = decode([{ name: 's', sum: { dataPoints: [{ timeUnixNano: time, flags: 1 }], aggregationTemporality: 2 } }]);
    expect(decoded.rejected).toBe(0);
    expect(decoded.sum).toMatchObject([{ value: 0, flags: 1, aggregationTemporality: 2, isMonotonic: false }]);
  });

  it('rejects histogram data points whose bucket counts do not fit their bounds', () => {
    const decoded = decode([
      {
        name: 'h',
        histogram: {
          dataPoints: [
            { timeUnixNano: time, count: '3', bucketCounts: ['1', '2'], explicitBounds: [1, 2] },
            { timeUnixNano: time, count: '3', bucketCounts: ['1', '2'], explicitBounds: [1] },
            { timeUnixNano: time, count: '3', sum: 9 },
          ],
        },
      },
    ]);
    expect(decoded.histogram.map((row) => row.bucketCounts)).toEqual([[1n, 2n], []]);
    expect(decoded.rejected).toBe(1);
    expect(decoded.rejectReason).toBe('metric "h": histogram data point has 2 bucket_counts for 2 explicit_bounds (needs one more count than bounds)');
  });

  it('rejects data points with an exemplar whose trace id is not 16 bytes', () => {
    const decoded = decode([
      { name: 'g', gauge: { dataPoints: [{ timeUnixNano: time, asDouble: 1, exemplars: [{ timeUnixNano: time, traceId: traceId.subarray(0, 5), spanId }] }] } },
    ]);
    expect(decoded.gauge).toEqual([]);
    expect(decoded.rejectReason).toMatch(/exemplar with an invalid trace_id or span_id/);
  });

  it('stores all-zero exemplar ids as empty, like the contrib exporter', () => {
    const decoded = decode([
      { name: 'g', gauge: { dataPoints: [{ timeUnixNano: time, asDouble: 1, exemplars: [{ timeUnixNano: time, asDouble: 3, traceId: Buffer.alloc(16), spanId: Buffer.alloc(8) }] }] } },
    ]);
    expect(decoded.gauge[0]?.exemplars).toEqual([{ filteredAttributes: [], time: BigInt(time), value: 3, traceId: '', spanId: '' }]);
  });

  it('counts the data points of removed pre-1.0 Int* metrics as rejected', () => {
    const decoded = decode([{ name: 'old', intGauge: { dataPoints: [{ timeUnixNano: time, asInt: '1' }, { timeUnixNano: time, asInt: '2' }] } }]);
    expect(decoded.rejected).toBe(2);
    expect(decoded.rejectReason).toMatch(/metric "old": uses a removed pre-1.0 data type/);
  });

  it('skips a metric without data without rejecting anything', () => {
    const decoded = decode([{ name: 'described.only', description: 'no points yet' }]);
    expect(decoded).toEqual({ gauge: [], sum: [], histogram: [], exponentialHistogram: [], summary: [], rejected: 0 });
  });
});

describe('decoding malformed OTLP/protobuf metrics', () => {
  const valid = encodeMetricsRequest(request([{ name: 'g', gauge: { dataPoints: [{ timeUnixNano: time, asDouble: 1 }] } }]));

  it('throws an OtlpDecodeError for a truncated body', () => {
    expect(() => decodeMetricsProto(valid.subarray(0, valid.length - 3))).toThrow(OtlpDecodeError);
    expect(() => decodeMetricsProto(valid.subarray(0, valid.length - 3))).toThrow(/truncated protobuf message/);
  });

  it('throws naming the field when a field has the wrong wire type', () => {
    // request{1: ResourceMetrics{2: ScopeMetrics{2: Metric{1 (name) as varint 5}}}}
    const body = Buffer.from([0x0a, 0x06, 0x12, 0x04, 0x12, 0x02, 0x08, 0x05]);
    expect(() => decodeMetricsProto(body)).toThrow('field Metric.name has wire type 0, expected 2');
  });
});

describe('decoding malformed OTLP/JSON metrics', () => {
  const metricPath = 'resourceMetrics[0].scopeMetrics[0].metrics[0]';
  const decodeMetric = (metric: object) => () => decodeMetricsJson(Buffer.from(JSON.stringify(request([metric]))));

  it('throws an OtlpDecodeError for a body that is not JSON', () => {
    expect(() => decodeMetricsJson(Buffer.from('{"resourceMetrics": ['))).toThrow(OtlpDecodeError);
  });

  it.each([
    ['a boolean given as a string', { name: 's', sum: { isMonotonic: 'true' } }, `${metricPath}.sum.isMonotonic: expected a boolean, got a string`],
    ['data points given as an object', { name: 'g', gauge: { dataPoints: {} } }, `${metricPath}.gauge.dataPoints: expected an array, got a object`],
    ['a fractional bucket count', { name: 'h', histogram: { dataPoints: [{ bucketCounts: [1.5] }] } }, `${metricPath}.histogram.dataPoints[0].bucketCounts[0]`],
    ['a fractional asInt', { name: 'g', gauge: { dataPoints: [{ timeUnixNano: time, asInt: 1.5 }] } }, `${metricPath}.gauge.dataPoints[0].asInt: expected an integer`],
    ['an unknown temporality name', { name: 'h', histogram: { aggregationTemporality: 'SIDEWAYS' } }, `${metricPath}.histogram.aggregationTemporality`],
    ['a quantile given as text', { name: 'q', summary: { dataPoints: [{ quantileValues: [{ quantile: 'median' }] }] } }, `${metricPath}.summary.dataPoints[0].quantileValues[0].quantile`],
  ])('throws naming the path for %s', (_case, metric, message) => {
    expect(decodeMetric(metric)).toThrow(OtlpDecodeError);
    expect(decodeMetric(metric)).toThrow(message);
  });

  it('accepts temporality by enum name and 64-bit numbers as strings', () => {
    const decoded = decodeMetric({
      name: 's',
      sum: { aggregationTemporality: 'AGGREGATION_TEMPORALITY_DELTA', isMonotonic: true, dataPoints: [{ timeUnixNano: time, asInt: '-12' }] },
    })();
    expect(decoded.sum).toMatchObject([{ value: -12, aggregationTemporality: 1, isMonotonic: true, time: BigInt(time) }]);
  });
});

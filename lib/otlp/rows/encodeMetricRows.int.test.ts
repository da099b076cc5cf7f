import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValueType, type Meter } from '@opentelemetry/api';
import { AggregationTemporalityPreference, OTLPMetricExporter as JsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationType, MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeMetricsRequest, stringAttributes } from '../../../tests/support/otlpMetricsProto';
import { openStore, type Store } from '../../clickhouse/store';
import { loadConfig } from '../../config';
import { decodeMetricsJson } from '../decode/decodeMetricsJson';
import { decodeMetricsProto } from '../decode/decodeMetricsProto';
import { encodeMetricRows } from './encodeMetricRows';
import type { DecodedMetrics } from './metricRowTypes';

let store: Store;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'faultline-metrics-'));
  store = await openStore(loadConfig({ FAULTLINE_DATA_DIR: dataDir }));
});

afterAll(async () => {
  await store?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function insert(decoded: DecodedMetrics): Promise<void> {
  for (const chunk of encodeMetricRows(decoded)) await store.writer.insertRowBinary(chunk.table.name, chunk.table.columnNames, [chunk.rows]);
}

type Row = Record<string, unknown>;

/** Rows of one metrics table for one service, with times as nanosecond strings for exact checks. */
async function select(table: string, service: string, metric: string, extraColumns = ''): Promise<Row[]> {
  const result = await store.client.query({
    query: `SELECT *, toString(toUnixTimestamp64Nano(TimeUnix)) AS TimeNanos, toString(toUnixTimestamp64Nano(StartTimeUnix)) AS StartNanos ${extraColumns}
            FROM ${store.database}.${table} WHERE ServiceName = {service:String} AND MetricName = {metric:String}
            ORDER BY toString(Attributes)`,
    query_params: { service, metric },
    format: 'JSONEachRow',
  });
  return result.json<Row>();
}

/** Runs `record` against a MeterProvider whose exporter posts to a local server; returns the body it sent. */
async function captureExport(
  service: string,
  makeExporter: (url: string) => PushMetricExporter,
  record: (meter: Meter) => void,
): Promise<{ body: Buffer; contentType: string }> {
  const bodies: { body: Buffer; contentType: string }[] = [];
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const contentType = req.headers['content-type'] ?? '';
      bodies.push({ body: Buffer.concat(parts), contentType });
      res.writeHead(200, { 'content-type': contentType }).end(contentType.includes('json') ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const reader = new PeriodicExportingMetricReader({ exporter: makeExporter(`http://127.0.0.1:${port}/v1/metrics`), exportIntervalMillis: 600_000 });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'deployment.environment.name': 'test' }),
    readers: [reader],
    views: [{ instrumentName: 'rpc.latency', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  record(provider.getMeter('faultline.test', '1.2.3'));
  // Shutting down runs the reader's final export, so exactly one request reaches the server.
  await provider.shutdown();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  expect(bodies).toHaveLength(1);
  return bodies[0]!;
}

/** One of each instrument kind, with values whose aggregates are easy to check. */
function recordWorkload(meter: Meter): void {
  const orders = meter.createCounter('orders.placed', { valueType: ValueType.INT, unit: '{order}', description: 'Orders placed' });
  orders.add(3, { outcome: 'success', 'retry.attempt': 2, cached: true });
  orders.add(2, { outcome: 'success', 'retry.attempt': 2, cached: true });
  orders.add(1, { outcome: 'failure', 'retry.attempt': 2, cached: true });
  const depth = meter.createUpDownCounter('queue.depth', { unit: '{message}' });
  depth.add(2.5);
  depth.add(-1);
  meter.createGauge('resilience.circuit_breaker.state').record(2, { 'peer.service': 'payment' });
  const duration = meter.createHistogram('http.server.duration', { unit: 'ms', advice: { explicitBucketBoundaries: [10, 100, 1000] } });
  for (const value of [5, 50, 50, 5000]) duration.record(value, { 'http.route': '/orders' });
  const latency = meter.createHistogram('rpc.latency', { unit: 'ms' });
  for (const value of [0, 1, 2, 4, 1000]) latency.record(value);
}

/** The exponential bucket index holding `value` at `scale` (buckets are (base^i, base^(i+1)]). */
function exponentialIndex(value: number, scale: number): number {
  return Math.ceil(Math.log2(value) * 2 ** scale) - 1;
}

const exporters = [
  {
    encoding: 'protobuf',
    service: 'checkout-proto',
    makeExporter: (url: string) => new ProtoExporter({ url }),
    decode: decodeMetricsProto,
    contentType: 'application/x-protobuf',
    counterTemporality: 2,
  },
  {
    encoding: 'JSON',
    service: 'checkout-json',
    makeExporter: (url: string) => new JsonExporter({ url, temporalityPreference: AggregationTemporalityPreference.DELTA }),
    decode: decodeMetricsJson,
    contentType: 'application/json',
    counterTemporality: 1,
  },
];

describe.each(exporters)('metrics the OpenTelemetry SDK exports as OTLP/$encoding', ({ service, makeExporter, decode, contentType, counterTemporality }) => {
  let decoded: DecodedMetrics;
  const beforeExport = BigInt(Date.now()) * 1_000_000n;

  beforeAll(async () => {
    const request = await captureExport(service, makeExporter, recordWorkload);
    expect(request.contentType).toContain(contentType);
    decoded = decode(request.body);
    await insert(decoded);
  });

  it('decodes every data point and rejects none', () => {
    expect(decoded.rejected).toBe(0);
    expect([decoded.sum.length, decoded.gauge.length, decoded.histogram.length, decoded.exponentialHistogram.length]).toEqual([3, 1, 1, 1]);
  });

  it('stores counters as monotonic sums per attribute set, with resource, scope and rendered attributes', async () => {
    const rows = await select('otel_metrics_sum', service, 'orders.placed');
    expect(rows.map((row) => [row.Attributes, row.Value])).toEqual([
      [{ outcome: 'failure', 'retry.attempt': '2', cached: 'true' }, 1],
      [{ outcome: 'success', 'retry.attempt': '2', cached: 'true' }, 5],
    ]);
    const [row] = rows;
    expect(row).toMatchObject({
      ServiceName: service,
      MetricDescription: 'Orders placed',
      MetricUnit: '{order}',
      ScopeName: 'faultline.test',
      ScopeVersion: '1.2.3',
      IsMonotonic: true,
      AggregationTemporality: counterTemporality,
      Flags: 0,
      'Exemplars.TraceId': [],
    });
    expect(row!.ResourceAttributes).toMatchObject({ 'service.name': service, 'deployment.environment.name': 'test' });
    expect(BigInt(row!.TimeNanos as string)).toBeGreaterThanOrEqual(beforeExport);
    expect(BigInt(row!.StartNanos as string)).toBeLessThanOrEqual(BigInt(row!.TimeNanos as string));
  });

  it('stores up-down counters as non-monotonic cumulative sums of doubles', async () => {
    const [row] = await select('otel_metrics_sum', service, 'queue.depth');
    expect(row).toMatchObject({ Value: 1.5, IsMonotonic: false, AggregationTemporality: 2, MetricUnit: '{message}', Attributes: {} });
  });

  it('stores gauges with their last value', async () => {
    const rows = await select('otel_metrics_gauge', service, 'resilience.circuit_breaker.state');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ Value: 2, Attributes: { 'peer.service': 'payment' }, ScopeName: 'faultline.test' });
  });

  it('stores explicit-bucket histograms with counts, bounds, sum, min and max', async () => {
    const [row] = await select('otel_metrics_histogram', service, 'http.server.duration');
    expect(row).toMatchObject({
      Attributes: { 'http.route': '/orders' },
      Count: 4,
      Sum: 5105,
      Min: 5,
      Max: 5000,
      BucketCounts: [1, 2, 0, 1],
      ExplicitBounds: [10, 100, 1000],
      AggregationTemporality: counterTemporality,
      MetricUnit: 'ms',
    });
  });

  it('stores exponential histograms with scale, zero count and buckets that place each value', async () => {
    const [row] = await select('otel_metrics_exponential_histogram', service, 'rpc.latency');
    expect(row).toMatchObject({ Count: 5, Sum: 1007, Min: 0, Max: 1000, ZeroCount: 1, NegativeBucketCounts: [], AggregationTemporality: counterTemporality });
    const scale = row!.Scale as number;
    const offset = row!.PositiveOffset as number;
    expect(offset).toBe(exponentialIndex(1, scale));
    const expected = Array<number>(exponentialIndex(1000, scale) - offset + 1).fill(0);
    for (const value of [1, 2, 4, 1000]) expected[exponentialIndex(value, scale) - offset] = 1;
    expect(row!.PositiveBucketCounts).toEqual(expected);
  });
});

describe('metrics the JS SDK never sends, hand-encoded as OTLP/protobuf', () => {
  const service = 'legacy-proto';
  // Recent times: rows older than the retention TTL would be dropped by the table itself.
  const now = BigInt(Date.now()) * 1_000_000n;
  const time = (now + 123_456_789n).toString();
  const start = (now - 60_000_000_000n).toString();
  const traceId = Buffer.from('5b8efff798038103d269b633813fc60c', 'hex');
  const spanId = Buffer.from('eee19b7ec3c1b174', 'hex');

  beforeAll(async () => {
    const body = encodeMetricsRequest({
      resourceMetrics: [
        {
          resource: { attributes: stringAttributes({ 'service.name': service }) },
          schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
          scopeMetrics: [
            {
              scope: { name: 'prometheus', version: '0.1', attributes: stringAttributes({ job: 'api' }), droppedAttributesCount: 3 },
              schemaUrl: 'https://opentelemetry.io/schemas/1.25.0',
              metrics: [
                {
                  name: 'rpc.duration.summary',
                  unit: 's',
                  summary: {
                    dataPoints: [
                      {
                        attributes: stringAttributes({ method: 'GetUser' }),
                        startTimeUnixNano: start,
                        timeUnixNano: time,
                        count: '12',
                        sum: 3.5,
                        quantileValues: [
                          { quantile: 0.5, value: 0.2 },
                          { quantile: 0.99, value: 1.25 },
                        ],
                        flags: 0,
                      },
                    ],
                  },
                },
                {
                  name: 'pool.in_use',
                  gauge: {
                    dataPoints: [
                      {
                        timeUnixNano: time,
                        asInt: '-7',
                        exemplars: [
                          { filteredAttributes: stringAttributes({ user: 'u1' }), timeUnixNano: time, asInt: '9', traceId, spanId },
                          { timeUnixNano: time, asDouble: 0.25 },
                        ],
                      },
                    ],
                  },
                },
                {
                  name: 'temperature.delta',
                  exponentialHistogram: {
                    aggregationTemporality: 1,
                    dataPoints: [
                      {
                        timeUnixNano: time,
                        count: '6',
                        sum: -3,
                        scale: -2,
                        zeroCount: '1',
                        positive: { offset: 3, bucketCounts: ['1', '0', '2'] },
                        negative: { offset: -4, bucketCounts: ['2'] },
                        min: -10,
                        max: 40,
                        flags: 1,
                        exemplars: [{ timeUnixNano: time, asDouble: 40, traceId, spanId }],
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    });
    const decoded = decodeMetricsProto(body);
    expect(decoded.rejected).toBe(0);
    await insert(decoded);
  });

  it('stores summaries with their quantiles as the ValueAtQuantiles nested columns', async () => {
    const [row] = await select('otel_metrics_summary', service, 'rpc.duration.summary');
    expect(row).toMatchObject({
      Attributes: { method: 'GetUser' },
      Count: 12,
      Sum: 3.5,
      'ValueAtQuantiles.Quantile': [0.5, 0.99],
      'ValueAtQuantiles.Value': [0.2, 1.25],
      TimeNanos: time,
      StartNanos: start,
      MetricUnit: 's',
    });
  });

  it('stores resource and scope schema URLs, scope attributes and the dropped attribute count', async () => {
    const [row] = await select('otel_metrics_summary', service, 'rpc.duration.summary');
    expect(row).toMatchObject({
      ResourceSchemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
      ScopeSchemaUrl: 'https://opentelemetry.io/schemas/1.25.0',
      ScopeName: 'prometheus',
      ScopeVersion: '0.1',
      ScopeAttributes: { job: 'api' },
      ScopeDroppedAttrCount: 3,
    });
  });

  it('stores exemplars with hex trace and span ids, filtered attributes and int values as Float64', async () => {
    const exemplarNanos = ', arrayMap(t -> toString(toUnixTimestamp64Nano(t)), Exemplars.TimeUnix) AS ExemplarNanos';
    const [row] = await select('otel_metrics_gauge', service, 'pool.in_use', exemplarNanos);
    expect(row).toMatchObject({
      Value: -7,
      'Exemplars.Value': [9, 0.25],
      'Exemplars.TraceId': [traceId.toString('hex'), ''],
      'Exemplars.SpanId': [spanId.toString('hex'), ''],
      'Exemplars.FilteredAttributes': [{ user: 'u1' }, {}],
      ExemplarNanos: [time, time],
    });
  });

  it('stores exponential histograms with negative scale, negative buckets and flags', async () => {
    const [row] = await select('otel_metrics_exponential_histogram', service, 'temperature.delta');
    expect(row).toMatchObject({
      Count: 6,
      Sum: -3,
      Scale: -2,
      ZeroCount: 1,
      PositiveOffset: 3,
      PositiveBucketCounts: [1, 0, 2],
      NegativeOffset: -4,
      NegativeBucketCounts: [2],
      Min: -10,
      Max: 40,
      Flags: 1,
      AggregationTemporality: 1,
      'Exemplars.Value': [40],
    });
  });
});

describe('a hand-written OTLP/JSON request', () => {
  const service = 'inventory-json';
  const now = BigInt(Date.now()) * 1_000_000n;
  const time = now.toString();
  const traceId = '5B8EFFF798038103D269B633813FC60C';
  const spanId = 'eee19b7ec3c1b174';
  const attributes = [
    { key: 'warehouse', value: { stringValue: 'north' } },
    { key: 'shelf', value: { intValue: '12' } },
    { key: 'ratio', value: { doubleValue: 0.5 } },
    { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }, { boolValue: true }] } } },
  ];
  let decoded: DecodedMetrics;

  beforeAll(async () => {
    const request = {
      resourceMetrics: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
          scopeMetrics: [
            {
              scope: { name: 'inventory', version: '2.0.0' },
              metrics: [
                { name: 'stock.level', unit: '{item}', gauge: { dataPoints: [{ attributes, timeUnixNano: time, asInt: '-9007199254740993' }] } },
                {
                  name: 'stock.moves',
                  sum: {
                    aggregationTemporality: 1,
                    isMonotonic: true,
                    dataPoints: [
                      {
                        startTimeUnixNano: (now - 1_000_000_000n).toString(),
                        timeUnixNano: time,
                        asDouble: 42.5,
                        flags: 0,
                        exemplars: [{ timeUnixNano: time, asInt: 7, traceId, spanId, filteredAttributes: [{ key: 'sku', value: { stringValue: 'X1' } }] }],
                      },
                    ],
                  },
                },
                {
                  name: 'pick.duration',
                  histogram: {
                    aggregationTemporality: 2,
                    dataPoints: [{ timeUnixNano: time, count: '3', sum: 0.9, bucketCounts: ['1', 2, '0'], explicitBounds: [0.1, 1], min: 0.05, max: 0.6 }],
                  },
                },
                {
                  name: 'pick.size',
                  exponentialHistogram: {
                    aggregationTemporality: 2,
                    dataPoints: [{ timeUnixNano: time, count: 4, sum: 10, scale: 1, zeroCount: '0', positive: { offset: -1, bucketCounts: ['3', 1] } }],
                  },
                },
                {
                  name: 'pick.latency',
                  summary: { dataPoints: [{ timeUnixNano: time, count: '8', sum: 4, quantileValues: [{ quantile: 0, value: 0.1 }, { quantile: 1, value: 2 }] }] },
                },
              ],
            },
          ],
        },
      ],
    };
    decoded = decodeMetricsJson(Buffer.from(JSON.stringify(request)));
    await insert(decoded);
  });

  it('decodes one data point per metric and rejects none', () => {
    expect(decoded.rejected).toBe(0);
    expect([decoded.gauge, decoded.sum, decoded.histogram, decoded.exponentialHistogram, decoded.summary].map((rows) => rows.length)).toEqual([1, 1, 1, 1, 1]);
  });

  it('renders non-string attribute values as the contrib exporter does and converts int64 values to Float64', async () => {
    const [row] = await select('otel_metrics_gauge', service, 'stock.level');
    expect(row).toMatchObject({
      Attributes: { warehouse: 'north', shelf: '12', ratio: '0.5', tags: '["a",true]' },
      Value: -9007199254740992,
      ScopeName: 'inventory',
      ScopeVersion: '2.0.0',
      TimeNanos: time,
    });
  });

  it('stores sums with temporality, monotonicity and exemplars whose hex ids are lower-cased', async () => {
    const [row] = await select('otel_metrics_sum', service, 'stock.moves');
    expect(row).toMatchObject({
      Value: 42.5,
      AggregationTemporality: 1,
      IsMonotonic: true,
      'Exemplars.TraceId': [traceId.toLowerCase()],
      'Exemplars.SpanId': [spanId],
      'Exemplars.Value': [7],
      'Exemplars.FilteredAttributes': [{ sku: 'X1' }],
    });
  });

  it('stores histograms from bucket counts given as strings or numbers', async () => {
    const [row] = await select('otel_metrics_histogram', service, 'pick.duration');
    expect(row).toMatchObject({ Count: 3, Sum: 0.9, BucketCounts: [1, 2, 0], ExplicitBounds: [0.1, 1], Min: 0.05, Max: 0.6, AggregationTemporality: 2 });
  });

  it('stores exponential histograms, with an absent negative range as offset 0 and no buckets', async () => {
    const [row] = await select('otel_metrics_exponential_histogram', service, 'pick.size');
    expect(row).toMatchObject({ Count: 4, Scale: 1, PositiveOffset: -1, PositiveBucketCounts: [3, 1], NegativeOffset: 0, NegativeBucketCounts: [], Min: 0, Max: 0 });
  });

  it('stores summaries with their quantile values', async () => {
    const [row] = await select('otel_metrics_summary', service, 'pick.latency');
    expect(row).toMatchObject({ Count: 8, Sum: 4, 'ValueAtQuantiles.Quantile': [0, 1], 'ValueAtQuantiles.Value': [0.1, 2] });
  });
});

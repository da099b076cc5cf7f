import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AggregationType, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { startTestFaultline, type TestFaultline } from '../tests/support/faultline';

let faultline: TestFaultline;

beforeAll(async () => {
  faultline = await startTestFaultline();
  const reader = new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter({ url: `${faultline.otlpEndpoint}/v1/metrics` }),
    exportIntervalMillis: 600_000,
  });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'payment' }),
    readers: [reader],
    views: [{ instrumentName: 'payment.amount', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  const meter = provider.getMeter('resilience', '1.0.0');
  const breakerAttributes = { 'resilience.policy.name': 'payment->payment-provider', 'peer.service': 'payment-provider' };
  meter.createObservableGauge('resilience.circuit_breaker.state').addCallback((result) => result.observe(2, breakerAttributes));
  meter.createCounter('resilience.circuit_breaker.calls').add(3, { ...breakerAttributes, outcome: 'rejected' });
  meter.createHistogram('http.server.duration', { unit: 'ms' }).record(42, { 'http.route': '/pay' });
  meter.createHistogram('payment.amount').record(19.99);
  await reader.forceFlush();
  await provider.shutdown();
});
afterAll(async () => {
  await faultline.stop();
});

describe('metrics sent by the official OTLP/HTTP protobuf exporter through the collector', () => {
  it('store a gauge with its attributes (the breaker state convention)', async () => {
    const rows = await faultline.query<{ Value: number; Attributes: Record<string, string> }>(
      "SELECT DISTINCT Value, Attributes FROM faultline.otel_metrics_gauge WHERE ServiceName = 'payment' AND MetricName = 'resilience.circuit_breaker.state'",
    );
    expect(rows).toEqual([{ Value: 2, Attributes: { 'resilience.policy.name': 'payment->payment-provider', 'peer.service': 'payment-provider' } }]);
  });

  it('store a monotonic cumulative sum', async () => {
    const rows = await faultline.query<Record<string, unknown>>(
      "SELECT DISTINCT Value, IsMonotonic, AggregationTemporality, Attributes['outcome'] AS outcome FROM faultline.otel_metrics_sum WHERE MetricName = 'resilience.circuit_breaker.calls'",
    );
    expect(rows).toEqual([{ Value: 3, IsMonotonic: true, AggregationTemporality: 2, outcome: 'rejected' }]);
  });

  it('store explicit and exponential histograms in their tables', async () => {
    const [histogram] = await faultline.query<Record<string, unknown>>(
      "SELECT DISTINCT Count, Sum, MetricUnit, length(BucketCounts) = length(ExplicitBounds) + 1 AS shaped FROM faultline.otel_metrics_histogram WHERE MetricName = 'http.server.duration'",
    );
    expect(histogram).toEqual({ Count: 1, Sum: 42, MetricUnit: 'ms', shaped: 1 });
    const [exponential] = await faultline.query<Record<string, unknown>>(
      "SELECT DISTINCT Count, Sum, arraySum(PositiveBucketCounts) AS positive FROM faultline.otel_metrics_exponential_histogram WHERE MetricName = 'payment.amount'",
    );
    expect(exponential).toEqual({ Count: 1, Sum: 19.99, positive: 1 });
  });
});

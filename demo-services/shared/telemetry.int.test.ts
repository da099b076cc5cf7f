/**
 * A demo service's telemetry exported over OTLP/gRPC (OTEL_EXPORTER_OTLP_PROTOCOL=grpc) to a real
 * Faultline: the span, the log record and the metric point all land in the store.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoConfig } from './config';
import { startTelemetry } from './telemetry';

const harness = fileURLToPath(new URL('../../tests/support/faultline.ts', import.meta.url));

interface TestFaultline {
  collector: { grpcUrl: string };
  query<T>(sql: string, params?: Record<string, unknown>): Promise<T[]>;
  stop(): Promise<void>;
}

describe.skipIf(!existsSync(harness))('demo telemetry with OTEL_EXPORTER_OTLP_PROTOCOL=grpc', () => {
  let faultline: TestFaultline;

  beforeAll(async () => {
    const { startTestFaultline } = (await import(/* @vite-ignore */ harness)) as { startTestFaultline(): Promise<TestFaultline> };
    faultline = await startTestFaultline();
  });
  afterAll(async () => {
    await faultline?.stop();
  });

  it('sends traces, logs and metrics to the OTLP/gRPC endpoint', async () => {
    const config = loadDemoConfig({ ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: faultline.collector.grpcUrl, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
    const telemetry = startTelemetry({
      serviceName: 'grpc-demo',
      serviceVersion: 'test',
      environment: 'test',
      endpoint: config.otlpEndpoint,
      protocol: config.otlpProtocol,
      metricIntervalMs: 60_000,
      enabled: true,
    });
    telemetry.tracer.startSpan('checkout').end();
    telemetry.loggerProvider!.getLogger('grpc-demo').emit({ body: 'order placed' });
    telemetry.meter.createCounter('orders.placed').add(1);
    await telemetry.shutdown();

    const [row] = await faultline.query<{ spans: number; logs: number; points: number }>(
      `SELECT (SELECT count() FROM faultline.otel_traces WHERE ServiceName = 'grpc-demo' AND SpanName = 'checkout') AS spans,
              (SELECT count() FROM faultline.otel_logs WHERE ServiceName = 'grpc-demo' AND Body = 'order placed') AS logs,
              (SELECT count() FROM faultline.otel_metrics_sum WHERE ServiceName = 'grpc-demo' AND MetricName = 'orders.placed') AS points`,
    );
    expect(row).toEqual({ spans: 1, logs: 1, points: 1 });
  });
});

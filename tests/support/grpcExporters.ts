/**
 * Traces, logs and metrics of one service sent by the OpenTelemetry JS gRPC exporters, as an
 * instrumented application sends them, and what of them the store holds.
 */
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import type { OTLPGRPCExporterConfigNode } from '@opentelemetry/otlp-grpc-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { makeSpans } from './otlpBodies';
import type { TestFaultline } from './faultline';

export type ExportedCounts = { spans: number; logs: number; metricPoints: number };

/** Sends 10 spans, 3 log records and one counter point for `service`; resolves with what the span export answered. */
export async function exportEverySignal(url: string, service: string, config: OTLPGRPCExporterConfigNode = {}): Promise<{ spansError?: Error }> {
  const resource = resourceFromAttributes({ 'service.name': service });
  const traces = new OTLPTraceExporter({ ...config, url });
  const spansError = await new Promise<Error | undefined>((resolve) => traces.export(makeSpans({ service, spans: 10 }), (result) => resolve(result.error)));
  await traces.shutdown();

  const logs = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ ...config, url }) })] });
  const logger = logs.getLogger('grpc-test');
  for (let i = 0; i < 3; i++) logger.emit({ body: `record ${i}`, severityText: 'INFO', timestamp: Date.now() - 60_000 });
  await logs.forceFlush();
  await logs.shutdown();

  const reader = new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ ...config, url }), exportIntervalMillis: 600_000 });
  const meters = new MeterProvider({ resource, readers: [reader] });
  meters.getMeter('grpc-test').createCounter('grpc.test.calls').add(7);
  await meters.shutdown(); // exports once, then stops
  return { spansError };
}

export async function storedCounts(faultline: TestFaultline, service: string): Promise<ExportedCounts> {
  const [row] = await faultline.query<{ spans: string; logs: string; points: string }>(
    `SELECT (SELECT count() FROM faultline.otel_traces WHERE ServiceName = {service:String}) AS spans,
            (SELECT count() FROM faultline.otel_logs WHERE ServiceName = {service:String}) AS logs,
            (SELECT count() FROM faultline.otel_metrics_sum WHERE ServiceName = {service:String}) AS points`,
    { service },
  );
  return { spans: Number(row!.spans), logs: Number(row!.logs), metricPoints: Number(row!.points) };
}

export const everySignal: ExportedCounts = { spans: 10, logs: 3, metricPoints: 1 };

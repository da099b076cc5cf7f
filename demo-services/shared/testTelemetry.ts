/**
 * Real OpenTelemetry SDK providers wired to in-memory exporters, for unit tests
 * that assert on the spans, metrics and log records a module emits.
 */
import { Writable } from 'node:stream';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type DataPoint,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createLogger } from './logger';

export function createTestTelemetry(serviceName = 'test') {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // The interval never fires in a test: `readMetrics` flushes on demand.
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const logRecords = new InMemoryLogRecordExporter();
  const loggerProvider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: logRecords })] });
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  const logger = createLogger({ serviceName, loggerProvider, destination: discard, level: 'debug' });

  /** Data points of one metric, as last collected. */
  async function readMetric(name: string): Promise<DataPoint<number>[]> {
    metricExporter.reset();
    await reader.forceFlush();
    const points: DataPoint<number>[] = [];
    for (const resourceMetrics of metricExporter.getMetrics()) {
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const metric of scope.metrics) {
          if (metric.descriptor.name === name) points.push(...(metric.dataPoints as DataPoint<number>[]));
        }
      }
    }
    return points;
  }

  return {
    tracer: tracerProvider.getTracer(serviceName),
    meter: meterProvider.getMeter(serviceName),
    logger,
    spans,
    logRecords,
    readMetric,
    async shutdown() {
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown(), loggerProvider.shutdown()]);
    },
  };
}

/** A pino logger of `serviceName` whose JSON lines are kept, parsed, in `lines`. */
export function createCapturingLogger(serviceName: string) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ serviceName, destination }), lines };
}

import { diag } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import { logSdkProblems } from './telemetry';
import { createCapturingLogger } from './testTelemetry';

describe('the SDK’s own problems', () => {
  afterAll(() => diag.disable());

  it('reach the service log: spans dropped from a full queue are counted in a warning', async () => {
    const { logger, lines } = createCapturingLogger('order');
    logSdkProblems(logger);
    const processor = new BatchSpanProcessor(new InMemorySpanExporter(), { maxQueueSize: 1, maxExportBatchSize: 1, scheduledDelayMillis: 60_000 });
    const tracer = new BasicTracerProvider({ spanProcessors: [processor] }).getTracer('test');
    for (let i = 0; i < 3; i++) tracer.startSpan(`order ${i}`).end();
    await processor.forceFlush();
    tracer.startSpan('order 3').end();

    const warnings = lines.filter((line) => line.otel_sdk === true);
    expect(warnings).toEqual([expect.objectContaining({ level: 40, service_name: 'order', msg: expect.stringMatching(/^Dropped [12] spans because maxQueueSize reached$/) })]);
    await processor.shutdown();
  });
});

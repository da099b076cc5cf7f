/**
 * Real OTLP request bodies for tests and benchmarks: spans made by the OpenTelemetry SDK and
 * encoded by its own serializers (`@opentelemetry/otlp-transformer`), as exporters send them.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';

export type SpanBatchOptions = { service: string; spans: number; startMs?: number };

/** `spans` finished spans of one service, in traces of up to five spans each. */
export function makeSpans({ service, spans, startMs = Date.now() - 60_000 }: SpanBatchOptions): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'service.version': '1.0.0', 'deployment.environment': 'test' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('faultline-tests', '1.0.0');
  for (let i = 0; i < spans; i++) {
    const start = startMs + i;
    const span = tracer.startSpan(`operation-${i % 4}`, {
      kind: i % 2 === 0 ? SpanKind.SERVER : SpanKind.CLIENT,
      startTime: start,
      attributes: { 'http.route': `/items/${i % 7}`, 'http.status_code': i % 10 === 0 ? 500 : 200, 'item.index': i },
    });
    if (i % 10 === 0) span.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
    span.end(start + 1 + (i % 50));
  }
  return memory.getFinishedSpans();
}

export function tracesProtobuf(spans: ReadableSpan[]): Buffer {
  return Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
}

export function tracesJson(spans: ReadableSpan[]): Buffer {
  return Buffer.from(JsonTraceSerializer.serializeRequest(spans)!);
}

/** A body `fetch` accepts (its types want an ArrayBuffer-backed view, not a Node Buffer). */
export function fetchBody(body: Uint8Array | string): Uint8Array<ArrayBuffer> | string {
  return typeof body === 'string' ? body : new Uint8Array(body);
}

/**
 * Realistic synthetic spans for benchmarks: five services, twenty operations, about ten
 * attributes per span, an event on some, errors on a few — made by the OpenTelemetry SDK and
 * encoded as OTLP protobuf requests by its own serializer.
 */
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';

export const benchServices = ['gateway', 'order', 'payment', 'user', 'inventory'] as const;
const operationsPerService = 4;

function providerFor(service: string, memory: InMemorySpanExporter): BasicTracerProvider {
  return new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': service,
      'service.version': '1.4.2',
      'deployment.environment': 'bench',
      'host.name': `${service}-7d9f8b-x2kq`,
      'process.runtime.name': 'nodejs',
    }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
}

/** One OTLP protobuf request body per service batch, `spansPerRequest` spans each. */
export function generateRequests(requestCount: number, spansPerRequest: number, onProgress?: (done: number) => void): Buffer[] {
  const bodies: Buffer[] = [];
  const startMs = Date.now() - 10 * 60_000;
  for (let r = 0; r < requestCount; r++) {
    const service = benchServices[r % benchServices.length]!;
    const memory = new InMemorySpanExporter();
    const provider = providerFor(service, memory);
    const tracer = provider.getTracer('@faultline/bench', '1.0.0');
    for (let i = 0; i < spansPerRequest; i++) {
      const op = (r * 7 + i) % operationsPerService;
      const start = startMs + r * 10 + (i % 1000);
      const parent = i % 5 === 0 ? undefined : trace.setSpanContext(context.active(), { traceId: traceIdFor(r, i), spanId: 'a1b2c3d4e5f60718', traceFlags: 1 });
      const span = tracer.startSpan(
        `${service} operation ${op}`,
        {
          kind: op % 2 === 0 ? SpanKind.SERVER : SpanKind.CLIENT,
          startTime: start,
          attributes: {
            'http.request.method': op % 3 === 0 ? 'POST' : 'GET',
            'http.route': `/api/${service}/${op}`,
            'http.response.status_code': i % 50 === 0 ? 503 : 200,
            'url.scheme': 'http',
            'server.address': `${service}.internal`,
            'server.port': 7000 + op,
            'user.id': `user-${(r * 31 + i) % 5000}`,
            'order.id': `ord-${r}-${i}`,
            'resilience.retry.attempt': i % 17 === 0 ? 1 : 0,
            'network.peer.address': '10.0.3.17',
          },
        },
        parent,
      );
      if (i % 10 === 0) span.addEvent('cache.miss', { 'cache.key': `k-${i % 97}` }, start + 1);
      if (i % 50 === 0) span.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream unavailable' });
      span.end(start + 2 + (i % 240));
    }
    bodies.push(Buffer.from(ProtobufTraceSerializer.serializeRequest(memory.getFinishedSpans() as ReadableSpan[])!));
    onProgress?.(r + 1);
  }
  return bodies;
}

function traceIdFor(request: number, index: number): string {
  return (request * 100_000 + Math.floor(index / 5)).toString(16).padStart(32, '0');
}

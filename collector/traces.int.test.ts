import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode, type Link } from '@opentelemetry/api';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter as OTLPTraceExporterJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPTraceExporterProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { startTestFaultline, type TestFaultline } from '../tests/support/faultline';

let faultline: TestFaultline;

beforeAll(async () => {
  faultline = await startTestFaultline();
});
afterAll(async () => {
  await faultline.stop();
});

type StoredSpan = {
  Timestamp: string;
  TraceId: string;
  SpanId: string;
  ParentSpanId: string;
  TraceState: string;
  SpanName: string;
  SpanKind: string;
  ServiceName: string;
  ResourceAttributes: Record<string, string>;
  ScopeName: string;
  ScopeVersion: string;
  SpanAttributes: Record<string, string>;
  Duration: string;
  StatusCode: string;
  StatusMessage: string;
  EventTimes: string[];
  'Events.Name': string[];
  'Events.Attributes': Record<string, string>[];
  'Links.TraceId': string[];
  'Links.SpanId': string[];
  'Links.Attributes': Record<string, string>[];
};

// An hour ago, 123 ms past a whole second: inside the retention window whatever the date, and the
// parent and child end in the same second as they start.
const startMs = Math.floor(Date.now() / 1000) * 1000 - 3_600_000 + 123;
const nanos = (ms: number) => (BigInt(ms) * 1_000_000n).toString();

/** Sends one parent span and one child (every attribute type, an event, a link) through `exporter`. */
async function sendTrace(exporter: SpanExporter, serviceName: string) {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName, 'deployment.environment': 'test', 'host.cpu.count': 2 }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('faultline-test-scope', '1.2.3');
  const parent = tracer.startSpan('GET /checkout', { kind: SpanKind.SERVER, startTime: startMs });
  const linkTarget = tracer.startSpan('linked-work', { startTime: startMs });
  linkTarget.end(startMs + 1);
  const link: Link = { context: linkTarget.spanContext(), attributes: { 'link.reason': 'follows' } };
  const parentContext = (await import('@opentelemetry/api')).trace.setSpan((await import('@opentelemetry/api')).context.active(), parent);
  const child = tracer.startSpan(
    'charge card',
    {
      kind: SpanKind.CLIENT,
      startTime: startMs + 10,
      links: [link],
      attributes: {
        'peer.service': 'payment-provider',
        'http.status_code': 502,
        'retry.ratio': 0.25,
        'cache.hit': false,
        'order.items': ['book', 'pen'],
        'order.quantities': [1, 3],
        'order.flags': [true, false],
      },
    },
    parentContext,
  );
  child.addEvent('resilience.circuit_breaker.state_change', { from: 'closed', to: 'open' }, startMs + 20);
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'provider returned 502' });
  child.end(startMs + 35);
  parent.setStatus({ code: SpanStatusCode.OK });
  parent.end(startMs + 50);
  await provider.forceFlush();
  await provider.shutdown();
  return { parent: parent.spanContext(), child: child.spanContext(), linked: linkTarget.spanContext() };
}

async function storedSpans(traceId: string): Promise<StoredSpan[]> {
  return faultline.query<StoredSpan>(
    `SELECT *, arrayMap(t -> toString(toUnixTimestamp64Nano(t)), Events.Timestamp) AS EventTimes,
            toString(toUnixTimestamp64Nano(Timestamp)) AS Timestamp, toString(Duration) AS Duration
     FROM faultline.otel_traces WHERE TraceId = {traceId:String} ORDER BY Timestamp`,
    { traceId },
  );
}

describe.each([
  ['OTLP/HTTP JSON', (url: string) => new OTLPTraceExporterJson({ url: `${url}/v1/traces` })],
  ['OTLP/HTTP protobuf', (url: string) => new OTLPTraceExporterProto({ url: `${url}/v1/traces` })],
])('spans sent by the official %s exporter', (name, makeExporter) => {
  let sent: Awaited<ReturnType<typeof sendTrace>>;
  let spans: StoredSpan[];

  beforeAll(async () => {
    sent = await sendTrace(makeExporter(faultline.otlpEndpoint), `checkout-${name.includes('JSON') ? 'json' : 'proto'}`);
    spans = await storedSpans(sent.parent.traceId);
  });

  it('are stored with their ids, parent ids, names and kinds', () => {
    expect(spans.map((s) => [s.SpanId, s.ParentSpanId, s.SpanName, s.SpanKind])).toEqual([
      [sent.parent.spanId, '', 'GET /checkout', 'Server'],
      [sent.child.spanId, sent.parent.spanId, 'charge card', 'Client'],
    ]);
    expect(spans.every((s) => s.TraceId === sent.parent.traceId)).toBe(true);
  });

  it('keep start times to the nanosecond and durations in nanoseconds', () => {
    expect(spans.map((s) => [s.Timestamp, s.Duration])).toEqual([
      [nanos(startMs), String(50_000_000)],
      [nanos(startMs + 10), String(25_000_000)],
    ]);
  });

  it('keep status codes and messages as the contrib exporter writes them', () => {
    expect(spans.map((s) => [s.StatusCode, s.StatusMessage])).toEqual([
      ['Ok', ''],
      ['Error', 'provider returned 502'],
    ]);
  });

  it('render attributes of every value type as text', () => {
    expect(spans[1]!.SpanAttributes).toEqual({
      'peer.service': 'payment-provider',
      'http.status_code': '502',
      'retry.ratio': '0.25',
      'cache.hit': 'false',
      'order.items': '["book","pen"]',
      'order.quantities': '[1,3]',
      'order.flags': '[true,false]',
    });
  });

  it('keep the resource, the service name and the instrumentation scope', () => {
    const span = spans[0]!;
    expect(span.ServiceName).toBe(`checkout-${name.includes('JSON') ? 'json' : 'proto'}`);
    expect(span.ResourceAttributes).toMatchObject({ 'service.name': span.ServiceName, 'deployment.environment': 'test', 'host.cpu.count': '2' });
    expect([span.ScopeName, span.ScopeVersion]).toEqual(['faultline-test-scope', '1.2.3']);
  });

  it('keep span events with their times and attributes', () => {
    const child = spans[1]!;
    expect(child['Events.Name']).toEqual(['resilience.circuit_breaker.state_change']);
    expect(child.EventTimes).toEqual([nanos(startMs + 20)]);
    expect(child['Events.Attributes']).toEqual([{ from: 'closed', to: 'open' }]);
  });

  it('keep links to other spans with their attributes', () => {
    const child = spans[1]!;
    expect(child['Links.TraceId']).toEqual([sent.linked.traceId]);
    expect(child['Links.SpanId']).toEqual([sent.linked.spanId]);
    expect(child['Links.Attributes']).toEqual([{ 'link.reason': 'follows' }]);
  });

  it('fill the trace-id lookup table with the trace time range', async () => {
    const [range] = await faultline.query<{ Start: number; End: number }>(
      `SELECT toUnixTimestamp(min(Start)) AS Start, toUnixTimestamp(max(End)) AS End FROM faultline.otel_traces_trace_id_ts WHERE TraceId = {traceId:String}`,
      { traceId: sent.parent.traceId },
    );
    const second = Math.floor(startMs / 1000);
    expect(range).toEqual({ Start: second, End: second });
  });
});

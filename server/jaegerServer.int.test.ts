import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { context, SpanKind, SpanStatusCode, trace, type SpanContext } from '@opentelemetry/api';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { createClient } from '@clickhouse/client';
import { startTestFaultline, type TestFaultline } from '../tests/support/faultline';
import type { Listening } from './listen';
import { startJaegerQuery } from './jaegerServer';

let faultline: TestFaultline;
let jaeger: Listening;

// Ten minutes ago on a whole second, so the dependencies (read from the last hour) see the calls.
const startMs = Math.floor(Date.now() / 1000) * 1000 - 600_000;
const startUs = startMs * 1000;

type Sent = { root: SpanContext; charge: SpanContext; serve: SpanContext; linked: SpanContext };
let sent: Sent;

function provider(endpoint: string, resource: Record<string, string>) {
  return new BasicTracerProvider({
    resource: resourceFromAttributes(resource),
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }))],
  });
}

/**
 * frontend: GET /checkout (server, Ok) → charge card (client, Error, an event, a link to the warm cache
 * span, a trace of its own a second older) → payment: POST /charge (server, started at a half millisecond).
 */
async function sendTrace(endpoint: string): Promise<Sent> {
  const frontend = provider(endpoint, { 'service.name': 'jaeger-frontend', 'deployment.environment': 'test', 'host.name': 'web-1' });
  const payment = provider(endpoint, { 'service.name': 'jaeger-payment', 'service.version': '2.0.0' });
  const tracer = frontend.getTracer('jaeger-test-scope', '1.2.3');
  const linked = tracer.startSpan('warm cache', { kind: SpanKind.INTERNAL, startTime: startMs - 1000 });
  linked.end(startMs - 999);
  const root = tracer.startSpan('GET /checkout', {
    kind: SpanKind.SERVER,
    startTime: startMs,
    attributes: { 'http.route': '/checkout', 'http.status_code': 200 },
  });
  const charge = tracer.startSpan(
    'charge card',
    { kind: SpanKind.CLIENT, startTime: startMs + 10, attributes: { 'peer.service': 'payment' }, links: [{ context: linked.spanContext() }] },
    trace.setSpan(context.active(), root),
  );
  charge.addEvent('retry', { attempt: 2 }, startMs + 20);
  const serve = payment.getTracer('payment-scope').startSpan(
    'POST /charge',
    { kind: SpanKind.SERVER, startTime: startMs + 12.5 },
    trace.setSpan(context.active(), charge),
  );
  serve.end(startMs + 30);
  charge.setStatus({ code: SpanStatusCode.ERROR, message: 'provider returned 502' });
  charge.end(startMs + 35);
  root.setStatus({ code: SpanStatusCode.OK });
  root.end(startMs + 50);
  for (const each of [frontend, payment]) {
    await each.forceFlush();
    await each.shutdown();
  }
  return { root: root.spanContext(), charge: charge.spanContext(), serve: serve.spanContext(), linked: linked.spanContext() };
}

beforeAll(async () => {
  faultline = await startTestFaultline();
  jaeger = await startJaegerQuery(faultline.store, { host: '127.0.0.1', port: 0, auth: { none: false } });
  sent = await sendTrace(faultline.otlpEndpoint);
});
afterAll(async () => {
  await jaeger?.close();
  await faultline?.stop();
});

async function get(path: string): Promise<{ status: number; body: { data: unknown; total: number; limit: number; offset: number; errors: unknown } }> {
  const response = await fetch(`${jaeger.url}${path}`);
  expect(response.headers.get('content-type')).toBe('application/json');
  return { status: response.status, body: await response.json() };
}

const ok = (data: unknown, total = 0) => ({ status: 200, body: { data, total, limit: 0, offset: 0, errors: null } });
const text = (key: string, value: string) => ({ key, type: 'string', value });

/** The trace as Jaeger's JSON model has it, field by field. */
function expectedTrace() {
  const traceID = sent.root.traceId;
  const scope = [text('otel.scope.name', 'jaeger-test-scope'), text('otel.scope.version', '1.2.3')];
  return {
    traceID,
    spans: [
      {
        traceID,
        spanID: sent.root.spanId,
        operationName: 'GET /checkout',
        references: [],
        startTime: startUs,
        duration: 50_000,
        flags: 1,
        tags: [text('http.route', '/checkout'), text('http.status_code', '200'), ...scope, text('span.kind', 'server'), text('otel.status_code', 'OK')],
        logs: [],
        processID: 'p1',
        warnings: null,
      },
      {
        traceID,
        spanID: sent.charge.spanId,
        operationName: 'charge card',
        references: [
          { refType: 'CHILD_OF', traceID, spanID: sent.root.spanId },
          { refType: 'FOLLOWS_FROM', traceID: sent.linked.traceId, spanID: sent.linked.spanId },
        ],
        startTime: startUs + 10_000,
        duration: 25_000,
        flags: 1,
        tags: [
          text('peer.service', 'payment'),
          ...scope,
          text('span.kind', 'client'),
          text('otel.status_code', 'ERROR'),
          { key: 'error', type: 'bool', value: true },
          text('otel.status_description', 'provider returned 502'),
        ],
        logs: [{ timestamp: startUs + 20_000, fields: [text('event', 'retry'), text('attempt', '2')] }],
        processID: 'p1',
        warnings: null,
      },
      {
        traceID,
        spanID: sent.serve.spanId,
        operationName: 'POST /charge',
        references: [{ refType: 'CHILD_OF', traceID, spanID: sent.charge.spanId }],
        startTime: startUs + 12_500,
        duration: 17_500,
        flags: 1,
        tags: [text('otel.scope.name', 'payment-scope'), text('span.kind', 'server')],
        logs: [],
        processID: 'p2',
        warnings: null,
      },
    ],
    processes: {
      p1: { serviceName: 'jaeger-frontend', tags: [text('deployment.environment', 'test'), text('host.name', 'web-1')] },
      p2: { serviceName: 'jaeger-payment', tags: [text('service.version', '2.0.0')] },
    },
    warnings: null,
  };
}

/** The linked span's trace: one internal span. */
function expectedLinkedTrace() {
  const traceID = sent.linked.traceId;
  return {
    traceID,
    spans: [
      {
        traceID,
        spanID: sent.linked.spanId,
        operationName: 'warm cache',
        references: [],
        startTime: startUs - 1_000_000,
        duration: 1000,
        flags: 1,
        tags: [text('otel.scope.name', 'jaeger-test-scope'), text('otel.scope.version', '1.2.3'), text('span.kind', 'internal')],
        logs: [],
        processID: 'p1',
        warnings: null,
      },
    ],
    processes: { p1: { serviceName: 'jaeger-frontend', tags: [text('deployment.environment', 'test'), text('host.name', 'web-1')] } },
    warnings: null,
  };
}

describe('the Jaeger query API', () => {
  it('lists the services (GET /api/services, as Grafana and Jaeger UI call it)', async () => {
    expect(await get('/api/services')).toEqual(ok(['jaeger-frontend', 'jaeger-payment'], 2));
  });

  it("lists a service's operation names (GET /api/services/{service}/operations)", async () => {
    expect(await get('/api/services/jaeger-frontend/operations')).toEqual(ok(['GET /checkout', 'charge card', 'warm cache'], 3));
    expect(await get('/api/services/no-such-service/operations')).toEqual(ok([], 0));
  });

  it('lists operations with their span kinds, or of one kind (GET /api/operations)', async () => {
    expect(await get('/api/operations?service=jaeger-frontend')).toEqual(
      ok(
        [
          { name: 'GET /checkout', spanKind: 'server' },
          { name: 'charge card', spanKind: 'client' },
          { name: 'warm cache', spanKind: 'internal' },
        ],
        3,
      ),
    );
    expect(await get('/api/operations?service=jaeger-frontend&spanKind=client')).toEqual(ok([{ name: 'charge card', spanKind: 'client' }], 1));
  });

  it('answers a trace by id in Jaeger\'s model: µs times, typed tags, references, logs, processes', async () => {
    expect(await get(`/api/traces/${sent.root.traceId}`)).toEqual(ok([expectedTrace()]));
    expect(await get(`/api/traces/${sent.root.traceId.toUpperCase()}`)).toEqual(ok([expectedTrace()]));
  });

  it.each([
    // Grafana's Jaeger data source: logfmt tags sent as JSON, a limit, durations, no time range.
    ['Grafana (JSON tags, limit)', `service=jaeger-frontend&operation=charge%20card&tags=${encodeURIComponent('{"peer.service":"payment"}')}&minDuration=20ms&maxDuration=1s&limit=20`],
    // Jaeger UI: start and end in µs, a lookback, JSON tags with error=true.
    ['Jaeger UI (start, end, lookback)', `service=jaeger-frontend&start=${startUs - 1000}&end=${startUs + 60_000_000}&lookback=custom&limit=20&tags=${encodeURIComponent('{"error":"true"}')}`],
    ['logfmt tags', `service=jaeger-frontend&tags=${encodeURIComponent('peer.service=payment error=true')}`],
    ["Jaeger's key:value tags", `service=jaeger-frontend&tags=${encodeURIComponent('peer.service:payment')}&tag=${encodeURIComponent('error:true')}`],
    ['span.kind, made from the span kind', `service=jaeger-payment&tags=${encodeURIComponent('{"span.kind":"server"}')}`],
    ['the callee service, a µs duration', `service=jaeger-payment&minDuration=17400us&lookback=1h`],
  ])('finds the trace in full by %s (GET /api/traces)', async (_, query) => {
    expect(await get(`/api/traces?${query}`)).toEqual(ok([expectedTrace()]));
  });

  it('answers several traces in full, newest first, up to the limit', async () => {
    expect(await get('/api/traces?service=jaeger-frontend&limit=20')).toEqual(ok([expectedTrace(), expectedLinkedTrace()]));
    expect(await get('/api/traces?service=jaeger-frontend&limit=1')).toEqual(ok([expectedTrace()]));
  });

  it('answers traces by id (GET /api/traces?traceID=…&traceID=…), naming those not found', async () => {
    const unknown = '0af7651916cd43dd8448eb211c80319c';
    expect(await get(`/api/traces?traceID=${sent.linked.traceId}&traceID=${sent.root.traceId}`)).toEqual(ok([expectedLinkedTrace(), expectedTrace()]));
    const { status, body } = await get(`/api/traces?traceID=${sent.root.traceId}&traceID=${unknown}`);
    expect({ status, body }).toEqual({
      status: 200,
      body: { data: [expectedTrace()], total: 0, limit: 0, offset: 0, errors: [{ msg: 'trace not found', traceID: unknown }] },
    });
  });

  it.each([
    ['an operation shorter than minDuration', 'service=jaeger-frontend&operation=charge%20card&minDuration=25.1ms'],
    ['a tag no span has', `service=jaeger-frontend&tags=${encodeURIComponent('{"peer.service":"inventory"}')}`],
    // As in Jaeger, every tag must be on one span: these two are on different spans of the trace.
    ['tags of different spans', `service=jaeger-frontend&tags=${encodeURIComponent('peer.service=payment http.route=/checkout')}`],
    ['error=true on a service without errors', 'service=jaeger-payment&tags=error%3Dtrue'],
    ['a span kind the service has no span of', 'service=jaeger-payment&tags=span.kind%3Dclient'],
    ['a range before the trace', `service=jaeger-frontend&start=${startUs - 60_000_000}&end=${startUs - 2_000_000}`],
  ])('finds nothing for %s', async (_, query) => {
    expect(await get(`/api/traces?${query}`)).toEqual(ok([]));
  });

  it('answers the calls between services (GET /api/dependencies, endTs and lookback in ms)', async () => {
    const link = { parent: 'jaeger-frontend', child: 'jaeger-payment', callCount: 1 };
    expect(await get(`/api/dependencies?endTs=${Date.now()}&lookback=3600000`)).toEqual(ok([link]));
    expect(await get(`/api/dependencies?endTs=${startMs - 60_000}&lookback=3600000`)).toEqual(ok([]));
  });

  const error = (code: number, msg: RegExp) => ({
    status: code,
    body: { data: null, total: 0, limit: 0, offset: 0, errors: [{ code, msg: expect.stringMatching(msg) }] },
  });

  it.each([
    ['/api/traces/not-hex', 400, /traceID: .* must be 1 to 32 hexadecimal digits/],
    ['/api/traces/0af7651916cd43dd8448eb211c80319c', 404, /trace not found: 0af7651916cd43dd8448eb211c80319c/],
    ['/api/traces?service=jaeger-frontend&minDuration=fast', 400, /minDuration: "fast" is not a duration/],
    ['/api/traces?service=jaeger-frontend&tags=%7Bbad', 400, /tags: .* is not valid JSON/],
    ['/api/traces?service=jaeger-frontend&tags=error%3Dmaybe', 400, /tags: error must be true or false/],
    ['/api/traces?service=jaeger-frontend&tags=span.kind%3Dsideways', 400, /tags: span.kind must be one of/],
    ['/api/traces?service=jaeger-frontend&limit=many', 400, /limit: "many" must be a whole number/],
    ['/api/traces?service=jaeger-frontend&limit=5000', 400, /limit: must be at most 1000/],
    ['/api/traces?service=jaeger-frontend&minDuration=2s&maxDuration=1s', 400, /maxDurationMs: must not be less than minDurationMs/],
    [`/api/traces?service=jaeger-frontend&start=${startUs}&end=${startUs - 1}`, 400, /must be before/],
    ['/api/operations', 400, /service: parameter is required/],
    ['/api/operations?service=jaeger-frontend&spanKind=sideways', 400, /spanKind: must be one of/],
    ['/api/dependencies?endTs=yesterday', 400, /endTs: "yesterday" must be a whole number/],
    ['/api/nothing-here', 404, /no such endpoint: \/api\/nothing-here/],
  ])('answers %s with a Jaeger-shaped %i', async (path, code, msg) => {
    expect(await get(path)).toEqual(error(code, msg));
  });

  it('answers a failing store with a Jaeger-shaped 500 and keeps the details in the log', async () => {
    // A real ClickHouse client for a server that isn't there: nothing listens on 127.0.0.1:1.
    const client = createClient({ url: 'http://127.0.0.1:1', request_timeout: 5000 });
    const unreachable = await startJaegerQuery({ client, database: 'faultline' }, { host: '127.0.0.1', port: 0, auth: { none: false } });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const response = await fetch(`${unreachable.url}/api/services`);
      expect({ status: response.status, body: await response.json() }).toEqual(error(500, /^the query failed inside Faultline; the server log has the details$/));
      expect(logged).toHaveBeenCalledWith('Jaeger query API request failed', expect.objectContaining({ message: expect.stringMatching(/ECONNREFUSED/) }));
    } finally {
      logged.mockRestore();
      await unreachable.close();
      await client.close();
    }
  });

  it('refuses writes with a Jaeger-shaped 405', async () => {
    const response = await fetch(`${jaeger.url}/api/traces`, { method: 'POST', body: '{}' });
    expect({ status: response.status, body: await response.json() }).toEqual(error(405, /POST is not allowed/));
  });
});

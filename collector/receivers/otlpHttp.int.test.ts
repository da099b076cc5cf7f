import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { startTestFaultline, type TestFaultline } from '../../tests/support/faultline';
import { fetchBody, makeSpans, tracesProtobuf } from '../../tests/support/otlpBodies';

let faultline: TestFaultline;

beforeAll(async () => {
  faultline = await startTestFaultline({ FAULTLINE_MAX_BODY_BYTES: String(256 * 1024) });
});
afterAll(async () => {
  await faultline.stop();
});

function post(path: string, body: Buffer | string, headers: Record<string, string> = {}) {
  return fetch(`${faultline.otlpEndpoint}${path}`, { method: 'POST', headers, body: fetchBody(body) });
}

async function spanCount(service?: string): Promise<number> {
  const where = service === undefined ? '' : 'WHERE ServiceName = {service:String}';
  const [row] = await faultline.query<{ n: string }>(`SELECT count() AS n FROM faultline.otel_traces ${where}`, { service });
  return Number(row!.n);
}

/** A hand-written OTLP/JSON request as the specification's examples show it. */
function specJson(service: string, spans: object[]) {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [{ scope: { name: 'manual', version: '1.0.0', attributes: [{ key: 'my.scope.attribute', value: { stringValue: 'x' } }] }, spans }],
      },
    ],
  });
}

// Recent times: data older than FAULTLINE_RETENTION_DAYS is dropped by the tables' TTL.
const specStartNs = (BigInt(Date.now()) - 60_000n) * 1_000_000n;

const specSpan = {
  traceId: '5B8EFFF798038103D269B633813FC60C',
  spanId: 'EEE19B7EC3C1B174',
  parentSpanId: 'EEE19B7EC3C1B173',
  name: 'I am a span!',
  startTimeUnixNano: Number(specStartNs / 1_000_000_000n) * 1e9,
  endTimeUnixNano: String((specStartNs / 1_000_000_000n) * 1_000_000_000n + 1_000_000_000n),
  kind: 2,
  attributes: [
    { key: 'my.span.attr', value: { stringValue: 'some value' } },
    { key: 'big.int', value: { intValue: '9007199254740993' } },
    { key: 'nested', value: { kvlistValue: { values: [{ key: 'a', value: { intValue: 1 } }, { key: 'b', value: { arrayValue: { values: [{ stringValue: 'x' }] } } }] } } },
    { key: 'raw', value: { bytesValue: 'aGVsbG8=' } },
  ],
  status: { code: 2, message: 'failed' },
};

describe('OTLP/JSON written by hand as the specification shows it', () => {
  it('is stored with upper-case hex ids folded to lower case and numeric or string timestamps', async () => {
    const response = await post('/v1/traces', specJson('spec-json', [specSpan]), { 'Content-Type': 'application/json' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({});
    const [span] = await faultline.query<Record<string, unknown>>(
      `SELECT TraceId, SpanId, ParentSpanId, SpanKind, StatusCode, toString(Duration) AS Duration,
              toString(toUnixTimestamp64Nano(Timestamp)) AS Start, SpanAttributes
       FROM faultline.otel_traces WHERE ServiceName = 'spec-json'`,
    );
    expect(span).toEqual({
      TraceId: '5b8efff798038103d269b633813fc60c',
      SpanId: 'eee19b7ec3c1b174',
      ParentSpanId: 'eee19b7ec3c1b173',
      SpanKind: 'Server',
      StatusCode: 'Error',
      Duration: '1000000000',
      Start: String((specStartNs / 1_000_000_000n) * 1_000_000_000n),
      SpanAttributes: { 'my.span.attr': 'some value', 'big.int': '9007199254740993', nested: '{"a":1,"b":["x"]}', raw: 'aGVsbG8=' },
    });
  });

  it('with some invalid spans stores the valid ones and answers partial success', async () => {
    const bad = { ...specSpan, spanId: 'not-hex', name: 'bad' };
    const response = await post('/v1/traces', specJson('partial-json', [specSpan, bad, { ...specSpan, traceId: '' }]), { 'Content-Type': 'application/json' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    expect(body.partialSuccess.rejectedSpans).toBe('2');
    expect(body.partialSuccess.errorMessage).toMatch(/spans\[1\].*spanId/);
    expect(await spanCount('partial-json')).toBe(1);
  });

  it('is accepted gzip-compressed', async () => {
    const response = await post('/v1/traces', gzipSync(specJson('gzip-json', [specSpan])), { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    expect(response.status).toBe(200);
    expect(await spanCount('gzip-json')).toBe(1);
  });

  it('with an empty request succeeds and stores nothing', async () => {
    const before = await spanCount();
    const response = await post('/v1/traces', '{}', { 'Content-Type': 'application/json' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    expect(await spanCount()).toBe(before);
  });
});

describe('OTLP protobuf', () => {
  it('is accepted gzip-compressed and answered in protobuf', async () => {
    const body = gzipSync(tracesProtobuf(makeSpans({ service: 'gzip-proto', spans: 30 })));
    const response = await post('/v1/traces', body, { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'gzip' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-protobuf');
    expect((await response.arrayBuffer()).byteLength).toBe(0);
    expect(await spanCount('gzip-proto')).toBe(30);
  });
});

describe('JSON log lines on /v1/logs/json', () => {
  it('map pino fields to log columns and keep the rest as attributes', async () => {
    const epochMs = Date.now() - 5_000;
    const isoTime = new Date(epochMs + 1_000).toISOString().replace('Z', '456Z');
    const lines = [
      JSON.stringify({ level: 50, time: epochMs, pid: 7, hostname: 'h1', service_name: 'pino-svc', trace_id: '0AF7651916CD43DD8448EB211C80319C', span_id: 'b7ad6b7169203331', user_id: 'u-1', latency_ms: 12.5, msg: 'charge failed', err: { type: 'Error', message: 'declined' } }),
      '',
      JSON.stringify({ level: 'info', time: isoTime, service_name: 'pino-svc', msg: 'ok' }),
      'this is not json',
    ].join('\n');
    const response = await post('/v1/logs/json', lines, { 'Content-Type': 'application/x-ndjson' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { partialSuccess: { rejectedLogRecords: string; errorMessage: string } };
    expect(body.partialSuccess).toEqual({ rejectedLogRecords: '1', errorMessage: 'line 4: not valid JSON' });
    const logs = await faultline.query<Record<string, unknown>>(
      `SELECT toString(toUnixTimestamp64Nano(Timestamp)) AS t, SeverityText, SeverityNumber, Body, TraceId, SpanId, ResourceAttributes, LogAttributes
       FROM faultline.otel_logs WHERE ServiceName = 'pino-svc' ORDER BY Timestamp`,
    );
    expect(logs).toEqual([
      {
        t: String(BigInt(epochMs) * 1_000_000n),
        SeverityText: 'ERROR',
        SeverityNumber: 17,
        Body: 'charge failed',
        TraceId: '0af7651916cd43dd8448eb211c80319c',
        SpanId: 'b7ad6b7169203331',
        ResourceAttributes: { 'service.name': 'pino-svc', 'host.name': 'h1', 'process.pid': '7' },
        LogAttributes: { user_id: 'u-1', latency_ms: '12.5', 'err.type': 'Error', 'err.message': 'declined' },
      },
      {
        t: String(BigInt(epochMs + 1_000) * 1_000_000n + 456_000n),
        SeverityText: 'INFO',
        SeverityNumber: 9,
        Body: 'ok',
        TraceId: '',
        SpanId: '',
        ResourceAttributes: { 'service.name': 'pino-svc' },
        LogAttributes: {},
      },
    ]);
  });
});

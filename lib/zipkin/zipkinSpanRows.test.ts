import { describe, expect, it } from 'vitest';
import type { SpanRow } from '../otlp/rows/rowTypes';
import { readZipkinJson } from './readZipkinJson';
import { zipkinSpanRows } from './zipkinSpanRows';

const base = { traceId: '5af7183fb1d4cf5f', id: '352bff9a74ca9ad2', name: 'get /api', timestamp: 1_700_000_000_123_456, duration: 2_500 };

function decode(...spans: object[]): SpanRow[] {
  return zipkinSpanRows(readZipkinJson(Buffer.from(JSON.stringify(spans))));
}

function one(span: object): SpanRow {
  return decode({ ...base, ...span })[0]!;
}

/** Attributes as an object, for readable expectations. */
function attributes(row: SpanRow): Record<string, string> {
  const result: Record<string, string> = {};
  for (let i = 0; i < row.attributes.length; i += 2) result[String(row.attributes[i])] = String(row.attributes[i + 1]);
  return result;
}

function decodeError(body: string): string {
  try {
    zipkinSpanRows(readZipkinJson(Buffer.from(body)));
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
}

describe('Zipkin v2 spans as span rows', () => {
  it('take localEndpoint.serviceName as the service (ServiceName and the service.name resource attribute)', () => {
    const row = one({ localEndpoint: { serviceName: 'frontend' } });
    expect(row.resource).toEqual({ serviceName: 'frontend', attributes: ['service.name', 'frontend'], schemaUrl: '' });
    expect(one({}).resource).toEqual({ serviceName: '', attributes: [], schemaUrl: '' });
  });

  it('map CLIENT, SERVER, PRODUCER and CONSUMER to span kinds; no kind is Unspecified, or Internal by a span.kind=internal tag', () => {
    expect(['CLIENT', 'SERVER', 'PRODUCER', 'CONSUMER'].map((kind) => one({ kind }).kind)).toEqual(['Client', 'Server', 'Producer', 'Consumer']);
    expect(one({}).kind).toBe('Unspecified');
    const internal = one({ tags: { 'span.kind': 'internal' } });
    expect([internal.kind, attributes(internal)]).toEqual(['Internal', {}]);
  });

  it('make tags span attributes, as strings', () => {
    expect(attributes(one({ tags: { 'http.method': 'GET', 'http.status_code': '200' } }))).toEqual({ 'http.method': 'GET', 'http.status_code': '200' });
  });

  it('make annotations events, microseconds to nanoseconds, and read the name|attributes|dropped form of OpenTelemetry exporters', () => {
    const row = one({
      annotations: [
        { timestamp: 1_700_000_000_124_000, value: 'ws' },
        { timestamp: 1_700_000_000_125_000, value: 'retry|{"attempt":2,"ratio":0.5,"final":false,"by":"cockatiel"}|0' },
        { timestamp: 1_700_000_000_126_000, value: 'a|b|c' },
      ],
    });
    expect(row.events).toEqual([
      { time: 1_700_000_000_124_000_000n, name: 'ws', attributes: [] },
      { time: 1_700_000_000_125_000_000n, name: 'retry', attributes: ['attempt', '2', 'ratio', '0.5', 'final', 'false', 'by', 'cockatiel'] },
      { time: 1_700_000_000_126_000_000n, name: 'a|b|c', attributes: [] },
    ]);
  });

  it('name the remote endpoint peer.service and net.peer.ip/port, and server.address/port on client spans', () => {
    const remoteEndpoint = { serviceName: 'backend', ipv4: '10.0.0.7', port: 8080 };
    expect(attributes(one({ kind: 'CLIENT', remoteEndpoint }))).toEqual({
      'peer.service': 'backend',
      'net.peer.ip': '10.0.0.7',
      'net.peer.port': '8080',
      'server.address': '10.0.0.7',
      'server.port': '8080',
    });
    expect(attributes(one({ kind: 'SERVER', remoteEndpoint: { ipv6: '2001:DB8::C001', port: 51234 } }))).toEqual({
      'net.peer.ip': '2001:db8::c001',
      'net.peer.port': '51234',
    });
  });

  it('name the local endpoint net.host.ip/port, the IPv6 address over the IPv4 one', () => {
    expect(attributes(one({ localEndpoint: { serviceName: 'api', ipv4: '192.168.1.2', port: 9000 } }))).toEqual({ 'net.host.ip': '192.168.1.2', 'net.host.port': '9000' });
    expect(attributes(one({ localEndpoint: { serviceName: 'api', ipv4: '192.168.1.2', ipv6: '::1' } }))).toEqual({ 'net.host.ip': '::1' });
  });

  it('left-pad 64-bit trace ids to 32 hex digits and keep 128-bit ones, in lower case', () => {
    expect(one({}).traceId).toBe('00000000000000005af7183fb1d4cf5f');
    expect(one({ traceId: '463AC35C9F6413AD48485A3953BB6124' }).traceId).toBe('463ac35c9f6413ad48485a3953bb6124');
    expect(one({ id: 'abc' }).spanId).toBe('0000000000000abc');
  });

  it('take parentId as the parent span id; a span is never its own parent', () => {
    expect(one({ parentId: '6b221d5bc9e6496c' }).parentSpanId).toBe('6b221d5bc9e6496c');
    expect(one({}).parentSpanId).toBe('');
    expect(one({ parentId: base.id }).parentSpanId).toBe('');
  });

  it('turn timestamp and duration from microseconds into nanoseconds; a missing timestamp is the epoch, flagged', () => {
    const row = one({});
    expect([row.timestamp, row.duration]).toEqual([1_700_000_000_123_456_000n, 2_500_000n]);
    const { timestamp: _, ...untimed } = base;
    const absent = decode(untimed)[0]!;
    expect([absent.timestamp, attributes(absent)]).toEqual([0n, { 'otel.zipkin.absentField.startTime': 'true' }]);
  });

  it('store a shared server span as its own Server row with the client span id and parent, as the translator does', () => {
    const client = { ...base, parentId: '6b221d5bc9e6496c', kind: 'CLIENT', localEndpoint: { serviceName: 'frontend' } };
    const server = { ...client, kind: 'SERVER', shared: true, localEndpoint: { serviceName: 'backend' } };
    const rows = decode(client, server);
    expect(rows.map((row) => [row.resource.serviceName, row.kind, row.spanId, row.parentSpanId])).toEqual([
      ['frontend', 'Client', '352bff9a74ca9ad2', '6b221d5bc9e6496c'],
      ['backend', 'Server', '352bff9a74ca9ad2', '6b221d5bc9e6496c'],
    ]);
    expect(attributes(rows[1]!)).toEqual({});
  });

  it('set status Error for an error tag: error=true is dropped, any other value stays as the error attribute', () => {
    const flagged = one({ tags: { error: 'true' } });
    expect([flagged.statusCode, flagged.statusMessage, attributes(flagged)]).toEqual(['Error', '', {}]);
    const described = one({ tags: { error: 'connection refused' } });
    expect([described.statusCode, attributes(described)]).toEqual(['Error', { error: 'connection refused' }]);
  });

  it('read otel.status_code and otel.status_description tags as the status', () => {
    const row = one({ tags: { 'otel.status_code': 'STATUS_CODE_ERROR', 'otel.status_description': 'timeout', other: 'x' } });
    expect([row.statusCode, row.statusMessage, attributes(row)]).toEqual(['Error', 'timeout', { other: 'x' }]);
    expect(one({ tags: { 'otel.status_code': 'STATUS_CODE_OK' } }).statusCode).toBe('Ok');
    expect(one({}).statusCode).toBe('Unset');
  });

  it('ignore debug, as the translator does', () => {
    expect(one({ debug: true })).toEqual(one({}));
  });

  it('take the scope from otel.library.name/version tags, and the trace state from w3c.tracestate', () => {
    const row = one({ tags: { 'otel.library.name': 'io.opentelemetry.http', 'otel.library.version': '1.2.0', 'w3c.tracestate': 'vendor=x', kept: 'y' } });
    expect([row.scope.name, row.scope.version, row.traceState, attributes(row)]).toEqual(['io.opentelemetry.http', '1.2.0', 'vendor=x', { kept: 'y' }]);
    expect([one({}).scope.name, one({}).scope.version]).toEqual(['', '']);
  });
});

describe('bad Zipkin JSON', () => {
  it('is refused with a message naming the span and the field', () => {
    expect(decodeError('{"traceId":"1"}')).toBe('$: expected a JSON array of Zipkin v2 spans');
    expect(decodeError('[{')).toMatch(/^invalid JSON: /);
    const ok = JSON.stringify(base);
    expect(decodeError(`[${ok},${JSON.stringify({ ...base, id: 'xyz' })}]`)).toBe('[1].id: expected 1 to 16 hex digits, not all zero, got "xyz"');
    expect(decodeError(JSON.stringify([{ ...base, traceId: undefined }]))).toBe('[0].traceId: expected 1 to 32 hex digits, not all zero, got nothing');
    expect(decodeError(JSON.stringify([{ ...base, traceId: '0'.repeat(32) }]))).toMatch(/^\[0\]\.traceId: /);
    expect(decodeError(JSON.stringify([{ ...base, traceId: 'a'.repeat(33) }]))).toMatch(/^\[0\]\.traceId: /);
    expect(decodeError(JSON.stringify([{ ...base, timestamp: '1700000000123456' }]))).toBe('[0].timestamp: expected microseconds as a non-negative integer, got "1700000000123456"');
    expect(decodeError(JSON.stringify([{ ...base, remoteEndpoint: { ipv4: '10.0.0.300' } }]))).toBe('[0].remoteEndpoint.ipv4: expected an IPv4 address, got "10.0.0.300"');
    expect(decodeError(JSON.stringify([{ ...base, tags: { retries: 3 } }]))).toBe('[0].tags["retries"]: expected a string, got a number');
    expect(decodeError(JSON.stringify([{ ...base, annotations: [{ value: 'x' }] }]))).toMatch(/^\[0\]\.annotations\[0\]\.timestamp: /);
  });
});

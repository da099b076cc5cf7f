import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEmitter } from 'node:events';
import { gzipSync } from 'node:zlib';
import { Annotation, BatchRecorder, ExplicitContext, InetAddress, jsonEncoder, Tracer } from 'zipkin';
import { HttpLogger } from 'zipkin-transport-http';
import { startCollector } from '../collector';
import { startTestFaultline, type TestFaultline } from '../../tests/support/faultline';
import { zipkinProtobuf } from '../../tests/support/zipkinProto';
import { attachTraces, detachTraces } from '../../tests/support/outage';

const token = 'zipkin-s3cret';
const maxBodyBytes = 64 * 1024;
let faultline: TestFaultline;

beforeAll(async () => {
  faultline = await startTestFaultline({ FAULTLINE_INGEST_TOKEN: token, FAULTLINE_MAX_BODY_BYTES: String(maxBodyBytes) });
});
afterAll(async () => {
  await faultline.stop();
});

const spansUrl = () => `${faultline.collector.zipkinUrl}/api/v2/spans`;
const authorized = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };

function post(body: string | Buffer, headers: Record<string, string> = authorized, url = spansUrl()) {
  return fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
}

type StoredSpan = {
  ServiceName: string;
  ResourceAttributes: Record<string, string>;
  ScopeName: string;
  TraceId: string;
  SpanId: string;
  ParentSpanId: string;
  SpanName: string;
  SpanKind: string;
  SpanAttributes: Record<string, string>;
  StatusCode: string;
  StatusMessage: string;
  Start: string;
  Duration: string;
  EventTimes: string[];
  EventNames: string[];
};

function storedSpans(where: string, params: Record<string, unknown>): Promise<StoredSpan[]> {
  return faultline.query<StoredSpan>(
    `SELECT ServiceName, ResourceAttributes, ScopeName, TraceId, SpanId, ParentSpanId, SpanName, SpanKind, SpanAttributes,
            StatusCode, StatusMessage, toString(toUnixTimestamp64Nano(Timestamp)) AS Start, toString(Duration) AS Duration,
            arrayMap(t -> toString(toUnixTimestamp64Nano(t)), Events.Timestamp) AS EventTimes, Events.Name AS EventNames
     FROM faultline.otel_traces WHERE ${where} ORDER BY SpanKind`,
    params,
  );
}

const nowMicros = () => Date.now() * 1000;

describe('a service instrumented with zipkin-js (HttpLogger, JSON v2) pointed at Faultline', () => {
  it('has its client and server spans stored as the contrib Zipkin receiver maps them', async () => {
    const logger = new HttpLogger({ endpoint: spansUrl(), jsonEncoder: jsonEncoder.JSON_V2, httpInterval: 50, headers: { Authorization: `Bearer ${token}` } });
    const answers: (number | string)[] = [];
    (logger as unknown as EventEmitter).on('success', (response: Response) => answers.push(response.status));
    (logger as unknown as EventEmitter).on('error', (error: Error) => answers.push(error.message));
    const tracer = new Tracer({ ctxImpl: new ExplicitContext(), recorder: new BatchRecorder({ logger }), localServiceName: 'zk-frontend' });

    const serverId = tracer.createRootId();
    const clientId = tracer.letId(serverId, () => tracer.createChildId());
    // zipkin-js reads a monotonic clock that may stray a little from Date.now(): a second of slack.
    const before = nowMicros() - 1_000_000;
    tracer.letId(serverId, () => {
      tracer.recordServiceName('zk-frontend');
      tracer.recordRpc('get /checkout');
      tracer.recordAnnotation(new Annotation.ServerRecv());
      tracer.recordAnnotation(new Annotation.LocalAddr({ host: new InetAddress('192.168.1.2'), port: 8080 }));
    });
    tracer.letId(clientId, () => {
      tracer.recordServiceName('zk-frontend');
      tracer.recordRpc('post /pay');
      tracer.recordAnnotation(new Annotation.ClientSend());
      tracer.recordAnnotation(new Annotation.ServerAddr({ serviceName: 'zk-payment', host: new InetAddress('10.0.0.7'), port: 9000 }));
      tracer.recordBinary('http.path', '/pay');
      tracer.recordMessage('retrying');
      tracer.recordBinary('error', 'connection refused');
      tracer.recordAnnotation(new Annotation.ClientRecv());
    });
    tracer.letId(serverId, () => tracer.recordAnnotation(new Annotation.ServerSend()));
    const after = nowMicros() + 1_000_000;

    // HttpLogger reports success only on a 202, and Faultline answers 202 once the rows are committed.
    while (answers.length < 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answers).toEqual([202]);
    const [client, server] = await storedSpans('ServiceName = {service:String}', { service: 'zk-frontend' });

    const traceId = `0000000000000000${serverId.traceId}`;
    expect(serverId.traceId).toMatch(/^[0-9a-f]{16}$/);
    expect(server).toMatchObject({
      ServiceName: 'zk-frontend',
      ResourceAttributes: { 'service.name': 'zk-frontend' },
      ScopeName: '',
      TraceId: traceId,
      SpanId: serverId.spanId,
      ParentSpanId: '',
      SpanName: 'get /checkout',
      SpanKind: 'Server',
      SpanAttributes: { 'net.host.ip': '192.168.1.2', 'net.host.port': '8080' },
      StatusCode: 'Unset',
      EventNames: [],
    });
    expect(client).toMatchObject({
      ServiceName: 'zk-frontend',
      TraceId: traceId,
      SpanId: clientId.spanId,
      ParentSpanId: serverId.spanId,
      SpanName: 'post /pay',
      SpanKind: 'Client',
      SpanAttributes: {
        'http.path': '/pay',
        error: 'connection refused',
        'peer.service': 'zk-payment',
        'net.peer.ip': '10.0.0.7',
        'net.peer.port': '9000',
        'server.address': '10.0.0.7',
        'server.port': '9000',
      },
      StatusCode: 'Error',
      EventNames: ['retrying'],
    });
    // Microseconds became nanoseconds: whole microseconds, around the time the spans were recorded.
    for (const time of [client!.Start, server!.Start, client!.EventTimes[0]!]) {
      expect(BigInt(time) % 1000n).toBe(0n);
      expect(Number(BigInt(time) / 1000n)).toBeGreaterThanOrEqual(before);
      expect(Number(BigInt(time) / 1000n)).toBeLessThanOrEqual(after);
    }
    expect(BigInt(client!.Duration) % 1000n).toBe(0n);
    expect(BigInt(server!.Start) + BigInt(server!.Duration)).toBeGreaterThanOrEqual(BigInt(client!.Start) + BigInt(client!.Duration));
  });
});

describe('Zipkin v2 JSON posted over HTTP', () => {
  const span = (service: string, extra: object = {}) => ({
    traceId: '463ac35c9f6413ad48485a3953bb6124',
    id: 'a2fb4a1d1a96d312',
    name: 'get',
    timestamp: nowMicros(),
    duration: 1500,
    localEndpoint: { serviceName: service },
    ...extra,
  });

  it('is accepted gzipped, 128-bit trace id kept', async () => {
    const response = await post(gzipSync(JSON.stringify([span('zk-gzip')])), { ...authorized, 'Content-Encoding': 'gzip' });
    expect(response.status).toBe(202);
    const [stored] = await storedSpans('ServiceName = {service:String}', { service: 'zk-gzip' });
    expect([stored!.TraceId, stored!.SpanId, stored!.Duration]).toEqual(['463ac35c9f6413ad48485a3953bb6124', 'a2fb4a1d1a96d312', '1500000']);
  });

  it('stores a shared server span beside its client span: same span id and parent, kind Server', async () => {
    const traceId = '5af7183fb1d4cf5f';
    const client = span('zk-shared-client', { traceId, parentId: '6b221d5bc9e6496c', kind: 'CLIENT', remoteEndpoint: { serviceName: 'zk-shared-server' } });
    const server = span('zk-shared-server', { traceId, parentId: '6b221d5bc9e6496c', kind: 'SERVER', shared: true });
    expect((await post(JSON.stringify([client, server]))).status).toBe(202);
    const stored = await storedSpans('TraceId = {traceId:String}', { traceId: `0000000000000000${traceId}` });
    expect(stored.map((row) => [row.ServiceName, row.SpanKind, row.SpanId, row.ParentSpanId])).toEqual([
      ['zk-shared-client', 'Client', 'a2fb4a1d1a96d312', '6b221d5bc9e6496c'],
      ['zk-shared-server', 'Server', 'a2fb4a1d1a96d312', '6b221d5bc9e6496c'],
    ]);
  });

  it('that is invalid is refused 400 naming the span and field, and nothing of the request is stored', async () => {
    const bad = await post(JSON.stringify([span('zk-bad'), span('zk-bad', { id: 'not-hex' })]));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe('[1].id: expected 1 to 16 hex digits, not all zero, got "not-hex"\n');
    const broken = await post('[{"traceId":');
    expect(broken.status).toBe(400);
    expect(await broken.text()).toMatch(/^invalid JSON: /);
    expect(await storedSpans('ServiceName = {service:String}', { service: 'zk-bad' })).toEqual([]);
  });

  it('with a span older than the retention window is refused 400 naming the setting, and nothing of it is stored', async () => {
    const old = span('zk-old', { id: 'b2fb4a1d1a96d312', timestamp: Date.UTC(2018, 0, 1) * 1000 });
    const response = await post(JSON.stringify([span('zk-old'), old]));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/^1 spans older than the retention window \(FAULTLINE_RETENTION_DAYS=7: before /);
    expect(await storedSpans('ServiceName = {service:String}', { service: 'zk-old' })).toEqual([]);
  });

  it('without the ingest token, or with a wrong one, is refused 401', async () => {
    const body = JSON.stringify([span('zk-token')]);
    expect((await post(body, { 'Content-Type': 'application/json' })).status).toBe(401);
    const wrong = await post(body, { ...authorized, Authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toMatch(/FAULTLINE_INGEST_TOKEN/);
    expect(await storedSpans('ServiceName = {service:String}', { service: 'zk-token' })).toEqual([]);
  });

  it('over FAULTLINE_MAX_BODY_BYTES is refused 413, declared or found out by decompressing', async () => {
    const big = JSON.stringify(Array.from({ length: 400 }, (_, i) => span('zk-big', { name: `op-${i}`.padEnd(200, '.') })));
    expect(big.length).toBeGreaterThan(maxBodyBytes);
    expect((await post(big)).status).toBe(413);
    const zipped = gzipSync(big);
    expect(zipped.length).toBeLessThan(maxBodyBytes);
    expect((await post(zipped, { ...authorized, 'Content-Encoding': 'gzip' })).status).toBe(413);
  });

  it('is accepted as protobuf (ListOfSpans) too; other types are 415, other paths 404 and other methods 405', async () => {
    const proto = await post(zipkinProtobuf([span('zk-proto', { traceId: '1f2e3d4c5b6a7988', kind: 'PRODUCER', remoteEndpoint: { serviceName: 'zk-broker', ipv4: '10.1.2.3', port: 1883 } })]), {
      ...authorized,
      'Content-Type': 'application/x-protobuf',
    });
    expect(proto.status).toBe(202);
    const [stored] = await storedSpans('ServiceName = {service:String}', { service: 'zk-proto' });
    expect(stored).toMatchObject({
      TraceId: '00000000000000001f2e3d4c5b6a7988',
      SpanKind: 'Producer',
      Duration: '1500000',
      SpanAttributes: { 'peer.service': 'zk-broker', 'net.peer.ip': '10.1.2.3', 'net.peer.port': '1883' },
    });
    const thrift = await post(Buffer.from([0x0c]), { ...authorized, 'Content-Type': 'application/x-thrift' });
    expect(thrift.status).toBe(415);
    expect(await thrift.text()).toMatch(/use application\/json or application\/x-protobuf/);
    expect((await post('[]', { ...authorized, 'Content-Type': 'constructor' })).status).toBe(415);
    expect((await post('[]', authorized, `${faultline.collector.zipkinUrl}/api/v1/spans`)).status).toBe(404);
    expect((await fetch(spansUrl(), { headers: authorized })).status).toBe(405);
  });

  it('is answered 503 with Retry-After while ClickHouse is down, and stored once it is back', async () => {
    await detachTraces(faultline);
    try {
      const response = await post(JSON.stringify([span('zk-outage')]));
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
    } finally {
      await attachTraces(faultline);
    }
    expect(await storedSpans('ServiceName = {service:String}', { service: 'zk-outage' })).toEqual([]);
    expect((await post(JSON.stringify([span('zk-outage')]))).status).toBe(202);
  });

  it('is refused 429 with Retry-After at the in-flight memory limit', async () => {
    const body = JSON.stringify(Array.from({ length: 20 }, (_, i) => span('zk-limited', { name: `op-${i}` })));
    const limited = await startCollector(faultline.store, {
      ...faultline.config,
      otlp: { ...faultline.config.otlp, port: 0, maxInflightBytes: body.length * 4 },
      batch: { ...faultline.config.batch, minRows: 100_000, maxRows: 100_000, maxDelayMs: 400, idleMs: 400, maxConcurrentInserts: 1 },
    });
    try {
      const url = `${limited.zipkinUrl}/api/v2/spans`;
      const first = post(body, authorized, url);
      while (limited.pipeline.inflightBytes === 0) await new Promise((resolve) => setTimeout(resolve, 2));
      const second = await post(body, authorized, url);
      expect(second.status).toBe(429);
      expect(second.headers.get('retry-after')).toBe('1');
      expect((await first).status).toBe(202);
    } finally {
      await limited.stop();
    }
  });
});

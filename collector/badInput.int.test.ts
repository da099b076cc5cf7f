import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { startCollector, type RunningCollector } from './collector';
import { startTestFaultline, type TestFaultline } from '../tests/support/faultline';
import { fetchBody, makeSpans, tracesJson, tracesProtobuf } from '../tests/support/otlpBodies';
import { ProtoReader } from '../lib/otlp/decode/protoReader';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { freePort } from '../demo-services/launcher';
import { deeplyNestedLogLine, deeplyNestedTracesJson, deeplyNestedTracesProto } from '../tests/support/deepNesting';
import { grpcExportClient, otlpGrpcMethods } from '../tests/support/grpcExport';

const maxBodyBytes = 64 * 1024;
let faultline: TestFaultline;

beforeAll(async () => {
  faultline = await startTestFaultline({ FAULTLINE_MAX_BODY_BYTES: String(maxBodyBytes) });
});
afterAll(async () => {
  await faultline.stop();
});

function post(path: string, body: Buffer | string, headers: Record<string, string> = {}, base = faultline.otlpEndpoint) {
  return fetch(`${base}${path}`, { method: 'POST', headers, body: fetchBody(body) });
}

async function totalSpans(): Promise<number> {
  const [row] = await faultline.query<{ n: string }>('SELECT count() AS n FROM faultline.otel_traces');
  return Number(row!.n);
}

/** google.rpc.Status from a protobuf error body: field 1 code, field 2 message. */
function decodeStatus(body: Buffer): { code: number; message: string } {
  const reader = new ProtoReader(body);
  const status = { code: 0, message: '' };
  while (!reader.done) {
    const field = reader.tag();
    if (field === 1) status.code = reader.uint32();
    else if (field === 2) status.message = reader.string();
    else reader.skip();
  }
  return status;
}

const json = { 'Content-Type': 'application/json' };
const protobuf = { 'Content-Type': 'application/x-protobuf' };

describe('bad input gets a precise status and message and stores nothing', () => {
  it('a truncated protobuf body is refused with 400 and a google.rpc.Status in protobuf', async () => {
    const before = await totalSpans();
    const body = tracesProtobuf(makeSpans({ service: 'truncated', spans: 20 }));
    const response = await post('/v1/traces', body.subarray(0, body.length - 7), protobuf);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/x-protobuf');
    const status = decodeStatus(Buffer.from(await response.arrayBuffer()));
    expect(status.code).toBe(3);
    expect(status.message).toMatch(/truncated protobuf/);
    expect(await totalSpans()).toBe(before);
  });

  it('invalid JSON is refused with 400 naming the problem', async () => {
    const response = await post('/v1/traces', '{"resourceSpans": [', json);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/^invalid JSON/);
  });

  it('a field of the wrong type is refused with 400 naming its path, and no span of the request is stored', async () => {
    const body = JSON.parse(tracesJson(makeSpans({ service: 'wrong-type', spans: 3 })).toString());
    body.resourceSpans[0].scopeSpans[0].spans[2].name = 42;
    const response = await post('/v1/traces', JSON.stringify(body), json);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toBe(
      'resourceSpans[0].scopeSpans[0].spans[2].name: expected a string, got a number',
    );
    const [row] = await faultline.query<{ n: string }>("SELECT count() AS n FROM faultline.otel_traces WHERE ServiceName = 'wrong-type'");
    expect(Number(row!.n)).toBe(0);
  });

  it('a body over the limit is refused with 413', async () => {
    const response = await post('/v1/traces', Buffer.alloc(maxBodyBytes + 1, 1), protobuf);
    expect(response.status).toBe(413);
    expect(decodeStatus(Buffer.from(await response.arrayBuffer())).message).toMatch(`${maxBodyBytes}-byte limit`);
  });

  it('a chunked body (no Content-Length) that grows past the limit is refused with 413, and the collector carries on', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(`${faultline.otlpEndpoint}/v1/traces`, { method: 'POST', headers: protobuf });
      request.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      request.write(Buffer.alloc(maxBodyBytes / 2, 1));
      request.write(Buffer.alloc(maxBodyBytes / 2 + 1, 1));
    });
    expect(status).toBe(413);
    expect((await post('/v1/traces', tracesProtobuf(makeSpans({ service: 'after-chunked', spans: 1 })), protobuf)).status).toBe(200);
  });

  it('a gzip body that inflates past the limit is refused with 413', async () => {
    const bomb = gzipSync(Buffer.alloc(maxBodyBytes * 4, 0));
    expect(bomb.length).toBeLessThan(maxBodyBytes);
    const response = await post('/v1/traces', bomb, { ...protobuf, 'Content-Encoding': 'gzip' });
    expect(response.status).toBe(413);
  });

  it('a corrupt gzip body is refused with 400', async () => {
    const response = await post('/v1/traces', Buffer.from('not gzip at all'), { ...protobuf, 'Content-Encoding': 'gzip' });
    expect(response.status).toBe(400);
  });

  it('an unknown content type is refused with 415', async () => {
    const response = await post('/v1/traces', 'hello', { 'Content-Type': 'text/csv' });
    expect(response.status).toBe(415);
    expect(((await response.json()) as { message: string }).message).toMatch(/application\/x-protobuf or application\/json/);
  });

  it('an unknown path is 404 and a wrong method 405', async () => {
    expect((await post('/v1/profiles', '{}', json)).status).toBe(404);
    expect((await fetch(`${faultline.otlpEndpoint}/v1/traces`)).status).toBe(405);
  });

  it('values nested thousands of levels deep are refused with 400 (gRPC: INVALID_ARGUMENT), not a 500 from an exhausted stack; 100 levels pass', async () => {
    // Each deep enough to exhaust the stack of a decoder that recurses without a bound, under the 64 KiB body limit.
    const deep = 8_000;
    const deepJson = 2_000;
    const proto = await post('/v1/traces', deeplyNestedTracesProto(deep), protobuf);
    expect(proto.status).toBe(400);
    expect(decodeStatus(Buffer.from(await proto.arrayBuffer())).message).toBe('AnyValue.array_value: values nested deeper than 100 levels');
    const json = await post('/v1/traces', deeplyNestedTracesJson(deepJson), { 'Content-Type': 'application/json' });
    expect(json.status).toBe(400);
    expect(((await json.json()) as { message: string }).message).toMatch(/\.arrayValue: values nested deeper than 100 levels$/);
    const grpc = grpcExportClient(`127.0.0.1:${faultline.collector.grpcPort}`);
    const answer = await grpc.call(otlpGrpcMethods.traces, deeplyNestedTracesProto(deep));
    grpc.close();
    expect(answer.error?.code).toBe(3);
    const line = await post('/v1/logs/json', deeplyNestedLogLine(deep), { 'Content-Type': 'application/x-ndjson' });
    expect(line.status).toBe(200);
    expect(((await line.json()) as { partialSuccess: unknown }).partialSuccess).toEqual({
      rejectedLogRecords: '1',
      errorMessage: 'line 1: objects and arrays nested deeper than 100 levels',
    });
    expect((await post('/v1/traces', deeplyNestedTracesProto(100), protobuf)).status).toBe(200);
    expect((await post('/v1/traces', deeplyNestedTracesJson(100), { 'Content-Type': 'application/json' })).status).toBe(200);
  });

  it('after all of that the collector is still up and storing', async () => {
    expect((await fetch(`${faultline.otlpEndpoint}/health`)).status).toBe(200);
    const response = await post('/v1/traces', tracesProtobuf(makeSpans({ service: 'still-up', spans: 5 })), protobuf);
    expect(response.status).toBe(200);
  });
});

describe('with FAULTLINE_INGEST_TOKEN set', () => {
  let guarded: RunningCollector;
  beforeAll(async () => {
    guarded = await startCollector(faultline.store, { ...faultline.config, otlp: { ...faultline.config.otlp, port: 0 }, ingestToken: 's3cret' });
  });
  afterAll(() => guarded.stop());

  it('a missing or wrong bearer token is refused with 401', async () => {
    const body = tracesJson(makeSpans({ service: 'token', spans: 1 }));
    expect((await post('/v1/traces', body, json, guarded.url)).status).toBe(401);
    const wrong = await post('/v1/traces', body, { ...json, Authorization: 'Bearer nope' }, guarded.url);
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { message: string }).message).toMatch(/bearer token/);
  });

  it('the right bearer token is accepted', async () => {
    const body = tracesJson(makeSpans({ service: 'token', spans: 1 }));
    expect((await post('/v1/traces', body, { ...json, Authorization: 'Bearer s3cret' }, guarded.url)).status).toBe(200);
  });
});

describe('health and readiness', () => {
  it('GET /health answers while the process is up and GET /ready once the store is migrated', async () => {
    expect(await (await fetch(`${faultline.otlpEndpoint}/health`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${faultline.otlpEndpoint}/ready`);
    expect(ready.status).toBe(200);
  });

  const notReady = { status: 'store unavailable or not migrated' };

  it('GET /ready answers 503 while the store is unreachable', async () => {
    // A ClickHouse server that is down: nothing listens on the port.
    const client = createClient({ url: `http://127.0.0.1:${await freePort()}`, log: { level: ClickHouseLogLevel.OFF } });
    const collector = await startCollector({ ...faultline.store, client }, { ...faultline.config, otlp: { ...faultline.config.otlp, port: 0 } });
    try {
      const ready = await fetch(`${collector.url}/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual(notReady);
    } finally {
      await collector.stop();
      await client.close();
    }
  });

  it('GET /ready answers 503 until the newest migration is applied', async () => {
    const migrations = `${faultline.store.database}.faultline_schema_migrations`;
    await faultline.store.client.command({ query: `DELETE FROM ${migrations} WHERE version = 12` });
    const ready = await fetch(`${faultline.otlpEndpoint}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual(notReady);

    await faultline.store.client.insert({ table: migrations, values: [{ version: 12, name: 'faultline_slo_alerts' }], format: 'JSONEachRow' });
    expect((await fetch(`${faultline.otlpEndpoint}/ready`)).status).toBe(200);
  });
});

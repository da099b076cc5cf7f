/**
 * What the OTLP/HTTP specification asks of every signal's endpoint, checked on each of the three:
 * partial success in protobuf, 503 while the store fails, 429 past the in-flight memory limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from './collector';
import type { Signal } from './receivers/otlpResponses';
import { startTestFaultline, type TestFaultline } from '../tests/support/faultline';
import { stagedTraces } from '../lib/clickhouse/tables';
import { fetchBody } from '../tests/support/otlpBodies';
import { decodeExportResponse, encodeLogsRequest, encodeTracesRequest } from '../tests/support/otlpExportProto';
import { encodeMetricsRequest, stringAttributes } from '../tests/support/otlpMetricsProto';

let faultline: TestFaultline;

beforeAll(async () => {
  faultline = await startTestFaultline();
});
afterAll(async () => {
  await faultline.stop();
});

// A minute ago: inside the tables' retention whatever the date.
const timeNs = String((BigInt(Date.now()) - 60_000n) * 1_000_000n);
const bytes = (length: number, fill: number) => Buffer.alloc(length, fill);
const resource = (service: string) => ({ attributes: stringAttributes({ 'service.name': service }) });

type SignalCase = {
  signal: Signal;
  /** The table its valid items land in. */
  table: string;
  /** The table the collector inserts them into, when it isn't `table` (lib/clickhouse/spanStaging.ts). */
  insertedInto?: string;
  /** One valid item, and `rejected` more the collector must refuse. */
  body(service: string, rejected: number): Buffer;
  rejectedField: string;
  reason: string;
};

const cases: SignalCase[] = [
  {
    signal: 'traces',
    table: 'otel_traces',
    insertedInto: stagedTraces.name,
    body: (service, rejected) => {
      const span = (spanId: Buffer) => ({ traceId: bytes(16, 1), spanId, name: 'GET /', kind: 2, startTimeUnixNano: timeNs, endTimeUnixNano: timeNs });
      const spans = [span(bytes(8, 2)), ...Array.from({ length: rejected }, () => span(bytes(3, 2)))];
      return encodeTracesRequest({ resourceSpans: [{ resource: resource(service), scopeSpans: [{ spans }] }] });
    },
    rejectedField: 'rejectedSpans',
    reason: 'span with a missing or invalid span_id (must be 8 bytes, not all zero)',
  },
  {
    signal: 'logs',
    table: 'otel_logs',
    body: (service, rejected) => {
      const record = (traceId: Buffer) => ({ timeUnixNano: timeNs, severityNumber: 9, severityText: 'INFO', body: { stringValue: 'hello' }, traceId, spanId: bytes(8, 2) });
      const logRecords = [record(bytes(16, 1)), ...Array.from({ length: rejected }, () => record(bytes(3, 1)))];
      return encodeLogsRequest({ resourceLogs: [{ resource: resource(service), scopeLogs: [{ logRecords }] }] });
    },
    rejectedField: 'rejectedLogRecords',
    reason: 'log record with an invalid trace_id (16 bytes) or span_id (8 bytes)',
  },
  {
    signal: 'metrics',
    table: 'otel_metrics_gauge',
    body: (service, rejected) => {
      const point = { timeUnixNano: timeNs, asDouble: 1 };
      // The removed pre-1.0 IntGauge: each of its points is rejected.
      const legacy = { name: 'queue.depth.legacy', intGauge: { dataPoints: Array.from({ length: rejected }, () => point) } };
      const metrics = [{ name: 'queue.depth', gauge: { dataPoints: [point] } }, ...(rejected > 0 ? [legacy] : [])];
      return encodeMetricsRequest({ resourceMetrics: [{ resource: resource(service), scopeMetrics: [{ metrics }] }] });
    },
    rejectedField: 'rejectedDataPoints',
    reason: 'metric "queue.depth.legacy": uses a removed pre-1.0 data type (IntGauge, IntSum or IntHistogram); send gauge, sum or histogram',
  },
];

const protobuf = { 'Content-Type': 'application/x-protobuf' };
const post = (url: string, signal: Signal, body: Buffer) => fetch(`${url}/v1/${signal}`, { method: 'POST', headers: protobuf, body: fetchBody(body) });

async function stored(table: string, service: string): Promise<number> {
  const [row] = await faultline.query<{ n: string }>(`SELECT count() AS n FROM faultline.${table} WHERE ServiceName = {service:String}`, { service });
  return Number(row!.n);
}

describe.each(cases.map((signalCase) => [signalCase.signal, signalCase] as const))('POST /v1/%s', (signal, { table, insertedInto = table, body, rejectedField, reason }) => {
  it('with some invalid items stores the valid one and answers partial_success in protobuf', async () => {
    const service = `partial-${signal}`;
    const response = await post(faultline.otlpEndpoint, signal, body(service, 2));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-protobuf');
    const { partialSuccess } = decodeExportResponse(signal, new Uint8Array(await response.arrayBuffer())) as { partialSuccess: Record<string, string> };
    expect(partialSuccess).toEqual({ [rejectedField]: '2', errorMessage: reason });
    expect(await stored(table, service)).toBe(1);
  });

  it('answers 503 with Retry-After while its table is unavailable, and stores nothing of that request', async () => {
    const service = `down-${signal}`;
    await faultline.store.client.command({ query: `DETACH TABLE faultline.${insertedInto}` });
    try {
      const response = await post(faultline.otlpEndpoint, signal, body(service, 0));
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
    } finally {
      await faultline.store.client.command({ query: `ATTACH TABLE faultline.${insertedInto}` });
    }
    expect(await stored(table, service)).toBe(0);
  });

  it('answers 429 with Retry-After while the in-flight memory limit is taken', async () => {
    const request = body(`limited-${signal}`, 0);
    const limited = await startCollector(faultline.store, {
      ...faultline.config,
      otlp: { ...faultline.config.otlp, port: 0, maxInflightBytes: request.length * 4 },
      batch: { ...faultline.config.batch, maxDelayMs: 400 },
    });
    try {
      const first = post(limited.url, signal, request);
      while (limited.pipeline.inflightBytes === 0) await new Promise((resolve) => setTimeout(resolve, 2));
      const refused = await post(limited.url, signal, request);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect((await first).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });
});

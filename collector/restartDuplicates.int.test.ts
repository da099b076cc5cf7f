import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../demo-services/launcher';
import { openStore } from '../lib/clickhouse/store';
import { loadConfig } from '../lib/config';
import { listOperations, listServices } from '../lib/queries/services';
import { spawnCollector, type CollectorProcess } from '../tests/support/collectorProcess';
import { grpcExportClient, otlpGrpcMethods } from '../tests/support/grpcExport';
import { fetchBody, makeSpans, tracesJson, tracesProtobuf } from '../tests/support/otlpBodies';
import { receiverMetricNames } from './receiverMetrics';

const dataDir = mkdtempSync(join(tmpdir(), 'faultline-restart-dup-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const service = 'retrying-sender';

async function postTraces(collector: CollectorProcess, body: Buffer, contentType: string): Promise<number> {
  const response = await fetch(`${collector.url}/v1/traces`, { method: 'POST', headers: { 'Content-Type': contentType }, body: fetchBody(body) });
  await response.arrayBuffer();
  return response.status;
}

async function exportGrpc(collector: CollectorProcess, body: Buffer): Promise<string> {
  const target = /send OTLP\/gRPC to http:\/\/(\S+)/.exec(collector.output())![1]!;
  const client = grpcExportClient(target);
  try {
    const answer = await client.call(otlpGrpcMethods.traces, body);
    return answer.error ? answer.error.message : 'OK';
  } finally {
    client.close();
  }
}

async function postZipkin(collector: CollectorProcess, spans: object[]): Promise<number> {
  const url = /send Zipkin v2 spans \(JSON or protobuf\) to (http:\/\/\S+)/.exec(collector.output())![1]!;
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(spans) });
  await response.arrayBuffer();
  return response.status;
}

/** Zipkin v2 JSON spans of the same service, one trace. */
function zipkinSpans(count: number): object[] {
  const traceId = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
  const startMicros = (Date.now() - 30_000) * 1000;
  return Array.from({ length: count }, (_, i) => ({
    traceId,
    id: (0x1000 + i).toString(16).padStart(16, '0'),
    name: 'get /zipkin',
    kind: 'SERVER',
    timestamp: startMicros + i,
    duration: 1500,
    localEndpoint: { serviceName: service },
  }));
}

describe('a request committed, then sent again after the collector was killed (SIGKILL) and restarted', () => {
  it('is answered with success and stored once, over OTLP/HTTP (protobuf, JSON), OTLP/gRPC and Zipkin; new spans beside it are stored', async () => {
    const env = { FAULTLINE_DATA_DIR: dataDir, FAULTLINE_OTLP_PORT: String(await freePort()), FAULTLINE_BATCH_IDLE_MS: '20' };
    const first = makeSpans({ service, spans: 20 });
    const zipkin = zipkinSpans(5);
    let collector = await spawnCollector(env);
    try {
      expect(await postTraces(collector, tracesProtobuf(first), 'application/x-protobuf')).toBe(200);
      expect(await postZipkin(collector, zipkin)).toBe(202);
      // Committed (answered); the process dies before anything else: as if the answer had been lost.
      expect(await collector.stop('SIGKILL')).toBeNull();
      collector = await spawnCollector(env);

      const fresh = makeSpans({ service, spans: 10 });
      expect(await postTraces(collector, tracesProtobuf(first), 'application/x-protobuf')).toBe(200);
      expect(await postTraces(collector, tracesJson(first), 'application/json')).toBe(200);
      expect(await exportGrpc(collector, tracesProtobuf(first))).toBe('OK');
      // Half stored before, half new: only the new half goes in.
      expect(await postTraces(collector, tracesProtobuf([...first.slice(0, 10), ...fresh]), 'application/x-protobuf')).toBe(200);
      expect(await postZipkin(collector, zipkin)).toBe(202);

      const metrics = await (await fetch(`${collector.url}/metrics`)).text();
      expect(metrics).toContain(`\n${receiverMetricNames.restartDuplicates} ${20 + 20 + 20 + 10 + 5}\n`);
    } finally {
      expect(await collector.stop('SIGTERM')).toBe(0);
    }

    const store = await openStore(loadConfig({ FAULTLINE_DATA_DIR: dataDir }));
    try {
      expect(store.uncleanStop).toBe(false);
      const result = await store.client.query({
        query: 'SELECT count() AS rows, uniqExact(TraceId, SpanId) AS spans FROM faultline.otel_traces WHERE ServiceName = {service:String}',
        query_params: { service },
        format: 'JSONEachRow',
      });
      const [stored] = await result.json<{ rows: string; spans: string }>();
      const distinct = 20 + 10 + 5;
      expect({ rows: Number(stored!.rows), spans: Number(stored!.spans) }).toEqual({ rows: distinct, spans: distinct });

      // The overview counts from the rollup the views filled, the operations from the raw spans: each span once.
      const now = Date.now();
      const range = { from: now - 3_600_000, to: now + 60_000 };
      const [overview] = await listServices(store, range);
      expect(overview).toMatchObject({ service, spans: distinct });
      const operations = await listOperations(store, { ...range, service });
      expect(operations.reduce((sum, operation) => sum + operation.calls, 0)).toBe(distinct);
    } finally {
      await store.close();
    }
  }, 90_000);
});

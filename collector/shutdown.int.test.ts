import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { openStore } from '../lib/clickhouse/store';
import { loadConfig } from '../lib/config';
import { fetchBody, makeSpans, tracesProtobuf } from '../tests/support/otlpBodies';
import { grpcExportClient, otlpGrpcMethods } from '../tests/support/grpcExport';

const dataDir = mkdtempSync(join(tmpdir(), 'faultline-shutdown-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('SIGTERM', () => {
  it('stops accepting, commits the in-flight batches, answers them 200 and exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/collector.ts'], {
      env: { ...process.env, FAULTLINE_DATA_DIR: dataDir, FAULTLINE_OTLP_PORT: '0', FAULTLINE_OTLP_GRPC_PORT: '0', FAULTLINE_BATCH_MAX_DELAY_MS: '1500', FAULTLINE_BATCH_IDLE_MS: '1500' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [url, grpcTarget] = await new Promise<[string, string]>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const http = /send OTLP\/HTTP to (http:\/\/\S+)/.exec(output);
        const grpc = /send OTLP\/gRPC to http:\/\/(\S+)/.exec(output);
        if (http && grpc) resolve([http[1]!, grpc[1]!]);
      });
      child.once('exit', () => reject(new Error(`collector exited early:\n${output}`)));
    });

    const inflight = [0, 1, 2].map((i) =>
      fetch(`${url}/v1/traces`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-protobuf' },
        body: fetchBody(tracesProtobuf(makeSpans({ service: `drain-${i}`, spans: 100 }))),
      }),
    );
    const grpc = grpcExportClient(grpcTarget);
    const grpcInflight = grpc.call(otlpGrpcMethods.traces, tracesProtobuf(makeSpans({ service: 'drain-grpc', spans: 100 })));
    // The requests are read and waiting in the batch (held 1.5 s) when the signal arrives.
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill('SIGTERM');
    const statuses = await Promise.all(inflight.map(async (response) => (await response).status));
    const grpcAnswer = await grpcInflight;
    grpc.close();
    const [code] = await once(child, 'exit');

    expect(statuses).toEqual([200, 200, 200]);
    expect(grpcAnswer.error).toBeUndefined();
    expect(code).toBe(0);
    const store = await openStore(loadConfig({ FAULTLINE_DATA_DIR: dataDir }));
    try {
      const result = await store.client.query({
        query: "SELECT ServiceName AS service, count() AS n FROM faultline.otel_traces GROUP BY service ORDER BY service",
        format: 'JSONEachRow',
      });
      const rows = await result.json<{ service: string; n: string }>();
      expect(rows.map((row) => [row.service, Number(row.n)])).toEqual([
        ['drain-0', 100],
        ['drain-1', 100],
        ['drain-2', 100],
        ['drain-grpc', 100],
      ]);
    } finally {
      await store.close();
    }
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { eventually } from '../demo-services/testing';
import { memoryPerBodyByte } from './pipeline';
import { openStore } from '../lib/clickhouse/store';
import { loadConfig } from '../lib/config';
import { fetchBody, makeSpans, tracesProtobuf } from '../tests/support/otlpBodies';
import { grpcExportClient, otlpGrpcMethods } from '../tests/support/grpcExport';

const dataDir = mkdtempSync(join(tmpdir(), 'faultline-shutdown-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** POSTs on a connection of its own; resolves with the status, or with the connection's error code. */
function postOnNewConnection(url: string, body: Buffer): Promise<number | string> {
  return new Promise((resolve) => {
    const request = httpRequest(`${url}/v1/traces`, { method: 'POST', agent: false, headers: { 'Content-Type': 'application/x-protobuf' } });
    request.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    request.end(body);
  });
}

describe('SIGTERM', () => {
  it('stops accepting, commits the in-flight batches, answers them 200 and exits 0', async () => {
    const bodies = [0, 1, 2].map((i) => tracesProtobuf(makeSpans({ service: `drain-${i}`, spans: 100 })));
    const grpcBody = tracesProtobuf(makeSpans({ service: 'drain-grpc', spans: 100 }));
    // Room for exactly these four requests: while they wait, even a 1-byte request is refused (429).
    const inflightLimit = [...bodies, grpcBody].reduce((sum, body) => sum + body.length, 0) * memoryPerBodyByte;
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/collector.ts'], {
      env: {
        ...process.env,
        FAULTLINE_DATA_DIR: dataDir,
        FAULTLINE_OTLP_PORT: '0',
        FAULTLINE_ZIPKIN_PORT: '0',
        FAULTLINE_OTLP_GRPC_PORT: '0',
        FAULTLINE_MAX_INFLIGHT_BYTES: String(inflightLimit),
        // Only the drain on SIGTERM commits the batch.
        FAULTLINE_BATCH_MAX_DELAY_MS: '600000',
        FAULTLINE_BATCH_IDLE_MS: '600000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => (output += chunk.toString());
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    /** Resolves once the collector has printed `pattern`. */
    const printed = (pattern: RegExp) =>
      new Promise<RegExpExecArray>((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output);
          if (match) resolve(match);
        };
        check();
        child.stdout.on('data', check);
        child.once('exit', () => reject(new Error(`collector exited before printing ${pattern}:\n${output}`)));
      });
    const url = (await printed(/send OTLP\/HTTP to (http:\/\/\S+)/))[1]!;
    const grpcTarget = (await printed(/send OTLP\/gRPC to http:\/\/(\S+)/))[1]!;

    const inflight = bodies.map((body) => fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'Content-Type': 'application/x-protobuf' }, body: fetchBody(body) }));
    const grpc = grpcExportClient(grpcTarget);
    const grpcInflight = grpc.call(otlpGrpcMethods.traces, grpcBody);
    await eventually('the four requests to be read and waiting in the batch', async () =>
      (await postOnNewConnection(url, Buffer.from([0]))) === 429 ? true : undefined,
    );
    child.kill('SIGTERM');
    await printed(/SIGTERM: finishing in-flight batches/);
    // Refused: the listener is closed, or a connection accepted as it closed is reset, or (were it still
    // open) the pipeline answers 503. Never a 200.
    expect([503, 'ECONNREFUSED', 'ECONNRESET']).toContain(await postOnNewConnection(url, bodies[0]!));
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

/** The collector as its own process over a data directory, and the loopback client the ingest benchmarks post with. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { connect, type IncomingHttpHeaders } from 'node:http2';
import type { Store } from '../../lib/clickhouse/store';

/** `url` is the OTLP/HTTP base URL, `grpcTarget` the OTLP/gRPC host:port. */
export type CollectorProcess = { child: ChildProcess; pid: number; url: string; grpcTarget: string };

/** Starts `server/collector.ts` on free ports; resolves once it says where to send OTLP. */
export async function startCollectorProcess(dataDir: string, nodeArgs: string[] = []): Promise<CollectorProcess> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'server/collector.ts'], {
    env: { ...process.env, FAULTLINE_DATA_DIR: dataDir, FAULTLINE_OTLP_PORT: '0', FAULTLINE_ZIPKIN_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [url, grpcTarget] = await new Promise<[string, string]>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const http = /send OTLP\/HTTP to (http:\/\/\S+)/.exec(output);
      const grpc = /send OTLP\/gRPC to http:\/\/(\S+)/.exec(output);
      if (http && grpc) resolve([http[1]!, grpc[1]!]);
    });
    child.once('exit', (code) => reject(new Error(`collector exited with ${code}:\n${output}`)));
  });
  return { child, pid: child.pid!, url, grpcTarget };
}

/** User + system CPU seconds a process (or one of its threads) has used, from /proc (Linux). */
export function cpuSeconds(pid: number, thread?: number): number {
  const stat = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8');
  const fields = stat.split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Seconds of CPU the whole machine has spent busy and in all, over every core (`/proc/stat`). */
export function machineCpuSeconds(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((sum, value) => sum + value, 0);
  const idle = fields[3]! + fields[4]!;
  return { busy: (total - idle) / 100, total: total / 100 };
}

export type PostAnswer = { status: number; retryAfter?: string };

/**
 * POSTs OTLP protobuf bodies over keep-alive connections, one per concurrent sender; resolves with the
 * status (and Retry-After) once the answer is read. node:http rather than fetch: a quarter of the CPU per request
 * (≈ 0.5 vs 2 ms for 512 spans), and the load generator shares the collector's cores.
 */
export function otlpPoster(senders: number): { post(url: string, body: Buffer): Promise<PostAnswer>; close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets: senders });
  return {
    post: (url, body) =>
      new Promise((resolve, reject) => {
        const headers = { 'Content-Type': 'application/x-protobuf', 'Content-Length': body.length };
        const request = httpRequest(url, { method: 'POST', agent, headers }, (response) => {
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] })).on('error', reject);
        });
        request.on('error', reject);
        request.end(body);
      }),
    close: () => agent.destroy(),
  };
}

/**
 * Calls OTLP/gRPC TraceService/Export with protobuf bodies as they are, each sender on its own HTTP/2
 * connection as each SDK instance has its own channel; resolves with the gRPC status code (0 = OK).
 * A bare node:http2 client framing gRPC itself rather than grpc-js, for the reason `otlpPoster` uses
 * node:http: grpc-js took 2–3× the CPU per request, and the load generator shares the cores.
 */
export function otlpGrpcPoster(target: string, senders: number): { post(body: Buffer, sender: number): Promise<number>; close(): void } {
  const sessions = Array.from({ length: senders }, () => connect(`http://${target}`));
  return {
    post: (body, sender) =>
      new Promise((resolve, reject) => {
        const stream = sessions[sender]!.request({
          ':method': 'POST',
          ':path': '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
          'content-type': 'application/grpc',
          te: 'trailers',
        });
        let status = -1;
        const readStatus = (headers: IncomingHttpHeaders) => {
          if (headers['grpc-status'] !== undefined) status = Number(headers['grpc-status']);
        };
        stream.on('response', readStatus).on('trailers', readStatus).on('error', reject);
        stream.on('close', () => resolve(status));
        stream.resume();
        // Length-prefixed message: 1 byte "not compressed", 4 bytes big-endian length.
        const prefix = Buffer.alloc(5);
        prefix.writeUInt32BE(body.length, 1);
        stream.write(prefix);
        stream.end(body);
      }),
    close: () => sessions.forEach((session) => session.close()),
  };
}

export async function countSpans(client: Store['client']): Promise<number> {
  const result = await client.query({ query: 'SELECT count() AS n FROM faultline.otel_traces', format: 'JSONEachRow' });
  return Number((await result.json<{ n: string }>())[0]!.n);
}

/** Bytes on disk of `otel_traces` and of every table, once each table is merged into one part per partition. */
export async function bytesOnDisk(client: Store['client'], database: string): Promise<{ traces: number; all: number }> {
  const rows = async <T>(query: string) => (await client.query({ query, format: 'JSONEachRow', query_params: { database } })).json<T>();
  const tables = await rows<{ name: string }>(`SELECT name FROM system.tables WHERE database = {database:String} AND engine LIKE '%MergeTree'`);
  for (const { name } of tables) await client.command({ query: `OPTIMIZE TABLE "${database}"."${name}" FINAL` });
  const parts = await rows<{ table: string; bytes: string }>(
    `SELECT table, sum(bytes_on_disk) AS bytes FROM system.parts WHERE database = {database:String} AND active GROUP BY table`,
  );
  return {
    traces: Number(parts.find((part) => part.table === 'otel_traces')?.bytes ?? 0),
    all: parts.reduce((sum, part) => sum + Number(part.bytes), 0),
  };
}

/**
 * A receiver that accepts every OTLP/HTTP protobuf export and keeps nothing
 * (200, empty body), counting requests per signal and the spans and log
 * records in them. It stands in for the collector where a test or the overhead
 * benchmark needs the SDK to export somewhere cheap.
 */
import { createServer } from 'node:http';
import protobuf from 'protobufjs/minimal.js';
import { listen } from './httpServer';

export interface OtlpSink {
  endpoint: string;
  requests: Record<string, number>;
  items: { spans: number; logRecords: number };
  close(): Promise<void>;
}

export async function startOtlpSink(): Promise<OtlpSink> {
  const requests: Record<string, number> = {};
  const items = { spans: 0, logRecords: 0 };
  const countItems = (path: string, body: Buffer) => {
    if (path === '/v1/traces') items.spans += countNested(body);
    if (path === '/v1/logs') items.logRecords += countNested(body);
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      requests[path] = (requests[path] ?? 0) + 1;
      try {
        countItems(path, Buffer.concat(chunks));
      } catch (error) {
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end(`not an OTLP protobuf export: ${(error as Error).message}`);
        return;
      }
      res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/x-protobuf', 'content-length': 0 });
      res.end();
    });
  });
  const port = await listen(server, 0, '127.0.0.1');
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    items,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Spans in a traces export or records in a logs export, counted without decoding them:
 * both nest as field 1 → field 2 → field 2 (ResourceSpans → ScopeSpans → Span,
 * ResourceLogs → ScopeLogs → LogRecord).
 */
function countNested(body: Buffer): number {
  let count = 0;
  const lengthDelimited = 2;
  const forEach = (reader: protobuf.Reader, field: number, visit: (inner: protobuf.Reader) => void) => {
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      if (tag >>> 3 === field && (tag & 7) === lengthDelimited) visit(protobuf.Reader.create(reader.bytes()));
      else reader.skipType(tag & 7);
    }
  };
  forEach(protobuf.Reader.create(body), 1, (resource) => forEach(resource, 2, (scope) => forEach(scope, 2, () => count++)));
  return count;
}

/**
 * A receiver that accepts every OTLP/HTTP export and keeps nothing (200, empty
 * body), counting requests per signal. It stands in for the collector where a
 * test or the overhead benchmark needs the SDK to export somewhere cheap.
 */
import { createServer } from 'node:http';
import { listen } from './httpServer';

export interface OtlpSink {
  endpoint: string;
  requests: Record<string, number>;
  close(): Promise<void>;
}

export async function startOtlpSink(): Promise<OtlpSink> {
  const requests: Record<string, number> = {};
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests[req.url ?? '/'] = (requests[req.url ?? '/'] ?? 0) + 1;
      res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/x-protobuf', 'content-length': 0 });
      res.end();
    });
  });
  const port = await listen(server, 0, '127.0.0.1');
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

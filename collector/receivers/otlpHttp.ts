/**
 * The OTLP/HTTP receiver: POST /v1/traces, /v1/logs, /v1/metrics (protobuf or JSON, gzip or
 * not) and /v1/logs/json (JSON log lines), answered as the OTLP specification says, plus
 * GET /health and GET /ready. Errors are classified in `../errors`; nothing here retries.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { exportResponse, statusResponse, type Encoding, type Signal } from './otlpResponses';
import { classify, collectorErrors } from '../errors';
import type { BodyEncoding } from './otlp/signalRows';
import type { Pipeline } from '../pipeline';
import { readBody } from './readBody';
import { hasBearerToken } from './bearerToken';
import { httpsOptions, type TlsMaterial } from './tls';

export type ReceiverOptions = {
  pipeline: Pipeline;
  maxBodyBytes: number;
  ingestToken?: string;
  /** True when the store is reachable and migrated. */
  isReady: () => Promise<boolean>;
  /** Serve HTTPS with this certificate instead of plain HTTP. */
  tls?: TlsMaterial;
};

type Route = { signal: Signal; jsonLines: boolean };

const routes: Record<string, Route> = {
  '/v1/traces': { signal: 'traces', jsonLines: false },
  '/v1/logs': { signal: 'logs', jsonLines: false },
  '/v1/metrics': { signal: 'metrics', jsonLines: false },
  '/v1/logs/json': { signal: 'logs', jsonLines: true },
};

const contentTypes: Record<string, Encoding> = {
  'application/x-protobuf': 'protobuf',
  'application/protobuf': 'protobuf',
  'application/json': 'json',
};
const jsonLinesTypes = new Set(['application/json', 'application/x-ndjson', 'application/jsonl', 'text/plain']);

export function createOtlpHttpServer(options: ReceiverOptions): Server {
  const listener = (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response, options).catch((error: unknown) => {
      // Only reached if writing the response itself failed; the socket is gone.
      request.socket.destroy(error instanceof Error ? error : undefined);
    });
  };
  return options.tls ? createHttpsServer(httpsOptions(options.tls), listener) : createServer(listener);
}

async function handle(request: IncomingMessage, response: ServerResponse, options: ReceiverOptions): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (path === '/health' || path === '/ready') return health(path, request, response, options);
  const route = routes[path];
  let encoding: Encoding = 'json';
  try {
    if (!route) throw collectorErrors.notFound(path);
    if (request.method !== 'POST') throw collectorErrors.methodNotAllowed(request.method ?? '?', path);
    if (options.ingestToken && !hasBearerToken(request.headers.authorization, options.ingestToken)) throw collectorErrors.unauthorized();
    const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const bodyEncoding = chooseEncoding(route, mediaType);
    encoding = bodyEncoding === 'protobuf' ? 'protobuf' : 'json';
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared)) options.pipeline.checkCapacity(declared);
    // A chunked body declares no size: what has arrived of it is checked as it grows.
    const body = await readBody(request, options.maxBodyBytes, (bytesSoFar) => options.pipeline.checkCapacity(bytesSoFar));
    const result = await options.pipeline.consume(route.signal, bodyEncoding, body);
    send(response, 200, encoding, exportResponse(route.signal, encoding, result.rejected, result.rejectReason));
  } catch (error) {
    const failure = classify(error);
    if (failure.retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(failure.retryAfterSeconds));
    if (failure.status === 413) response.setHeader('Connection', 'close');
    send(response, failure.status, encoding, statusResponse(encoding, failure.grpcCode, failure.message));
    if (!request.complete) {
      // Unread body bytes would otherwise be parsed as the next request. A request whose reading was
      // broken off has already let go of its socket, and the response lets go once it finishes.
      const socket = response.socket;
      response.on('finish', () => socket?.destroySoon());
    }
  }
}

function chooseEncoding(route: Route, mediaType: string): BodyEncoding {
  if (route.jsonLines) {
    if (jsonLinesTypes.has(mediaType)) return 'jsonLines';
  } else {
    const encoding = contentTypes[mediaType];
    if (encoding) return encoding;
  }
  throw collectorErrors.unsupportedMediaType(mediaType || '(none)');
}

async function health(path: string, request: IncomingMessage, response: ServerResponse, options: ReceiverOptions): Promise<void> {
  if (request.method !== 'GET') {
    const failure = collectorErrors.methodNotAllowed(request.method ?? '?', path);
    return send(response, failure.status, 'json', statusResponse('json', failure.grpcCode, failure.message));
  }
  if (path === '/health') return send(response, 200, 'json', Buffer.from('{"status":"ok"}'));
  const ready = await options.isReady().catch(() => false);
  send(response, ready ? 200 : 503, 'json', Buffer.from(JSON.stringify({ status: ready ? 'ready' : 'store unavailable or not migrated' })));
}

function send(response: ServerResponse, status: number, encoding: Encoding, body: Buffer): void {
  response.writeHead(status, {
    'Content-Type': encoding === 'protobuf' ? 'application/x-protobuf' : 'application/json',
    'Content-Length': body.length,
  });
  response.end(body);
}

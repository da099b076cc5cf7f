/**
 * The OTLP/HTTP receiver: POST /v1/traces, /v1/logs, /v1/metrics (protobuf or JSON, gzip or
 * not) and /v1/logs/json (JSON log lines), answered as the OTLP specification says, plus
 * GET /health, GET /ready and GET /metrics (the collector's own counters, behind the ingest token
 * when one is set). Errors are classified in `../errors`; nothing here retries.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { exportResponse, statusResponse, type Encoding, type Signal } from './otlpResponses';
import { collectorErrors } from '../errors';
import type { BodyEncoding } from './otlp/signalRows';
import type { Pipeline } from '../pipeline';
import { refusedTotal } from '../../lib/otlp/decode/timeWindow';
import { answerFailure } from './answerFailure';
import { hasBearerToken } from './bearerToken';
import { readAdmittedBody } from './readBody';
import { receiverServer, type TlsMaterial } from './tls';

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
  return receiverServer(options.tls, listener);
}

async function handle(request: IncomingMessage, response: ServerResponse, options: ReceiverOptions): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (path === '/health' || path === '/ready') return health(path, request, response, options);
  if (path === '/metrics') return selfMetrics(request, response, options);
  const route = routes[path];
  let encoding: Encoding = 'json';
  try {
    if (!route) throw collectorErrors.notFound(path);
    if (request.method !== 'POST') throw collectorErrors.methodNotAllowed(request.method ?? '?', path);
    if (options.ingestToken && !hasBearerToken(request.headers.authorization, options.ingestToken)) throw collectorErrors.unauthorized();
    const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const bodyEncoding = chooseEncoding(route, mediaType);
    encoding = bodyEncoding === 'protobuf' ? 'protobuf' : 'json';
    const body = await readAdmittedBody(request, options.pipeline, options.maxBodyBytes);
    const result = await options.pipeline.consume(route.signal, bodyEncoding, body);
    options.pipeline.metrics.countItems(route.signal, result.accepted, result.refused);
    send(response, 200, encoding, exportResponse(route.signal, encoding, refusedTotal(result.refused), result.message));
  } catch (error) {
    const failure = answerFailure(request, response, error, (failure) => ({
      contentType: contentTypeOf(encoding),
      body: statusResponse(encoding, failure.grpcCode, failure.message),
    }));
    options.pipeline.metrics.countRefusedRequest(route?.signal ?? 'none', failure.status);
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

function selfMetrics(request: IncomingMessage, response: ServerResponse, options: ReceiverOptions): void {
  const failure =
    request.method !== 'GET'
      ? collectorErrors.methodNotAllowed(request.method ?? '?', '/metrics')
      : options.ingestToken && !hasBearerToken(request.headers.authorization, options.ingestToken)
        ? collectorErrors.unauthorized()
        : undefined;
  if (failure) return send(response, failure.status, 'json', statusResponse('json', failure.grpcCode, failure.message));
  const body = Buffer.from(options.pipeline.metrics.render());
  response.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Content-Length': body.length });
  response.end(body);
}

function send(response: ServerResponse, status: number, encoding: Encoding, body: Buffer): void {
  response.writeHead(status, {
    'Content-Type': contentTypeOf(encoding),
    'Content-Length': body.length,
  });
  response.end(body);
}

function contentTypeOf(encoding: Encoding): string {
  return encoding === 'protobuf' ? 'application/x-protobuf' : 'application/json';
}

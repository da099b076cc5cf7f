/**
 * The Zipkin v2 receiver: `POST /api/v2/spans` with a list of spans, JSON or protobuf (gzip or
 * not), stored in `otel_traces` through the same pipeline as OTLP and answered 202, as Zipkin
 * answers, once the rows are committed. Token, size limit, memory limiter and store failures behave as on the OTLP/HTTP
 * receiver; failures are answered as plain text, as the Zipkin server answers them.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { writtenTables } from '../../lib/clickhouse/tables';
import { keepInWindow, refusalMessage, type TimeWindow } from '../../lib/otlp/decode/timeWindow';
import { encodeSpanRows } from '../../lib/otlp/rows/encodeSpanRows';
import { readZipkinJson, type ZipkinSpan } from '../../lib/zipkin/readZipkinJson';
import { readZipkinProto } from '../../lib/zipkin/readZipkinProto';
import { zipkinSpanRows } from '../../lib/zipkin/zipkinSpanRows';
import { collectorErrors } from '../errors';
import type { Pipeline } from '../pipeline';
import { answerFailure } from './answerFailure';
import { hasBearerToken } from './bearerToken';
import type { SignalRows } from './otlp/signalRows';
import { readAdmittedBody } from './readBody';
import { receiverServer, type TlsMaterial } from './tls';

export type ZipkinReceiverOptions = { pipeline: Pipeline; maxBodyBytes: number; ingestToken?: string; tls?: TlsMaterial };

export const zipkinSpansPath = '/api/v2/spans';

/** Zipkin's own server reads a body without a Content-Type as JSON. */
const readers = new Map<string, (body: Buffer) => ZipkinSpan[]>([
  ['', readZipkinJson],
  ['application/json', readZipkinJson],
  ['application/x-protobuf', readZipkinProto],
  ['application/protobuf', readZipkinProto],
]);

export function createZipkinHttpServer(options: ZipkinReceiverOptions): Server {
  return receiverServer(options.tls, (request, response) => {
    handle(request, response, options).catch((error: unknown) => {
      // Only reached if writing the response itself failed; the socket is gone.
      request.socket.destroy(error instanceof Error ? error : undefined);
    });
  });
}

async function handle(request: IncomingMessage, response: ServerResponse, options: ZipkinReceiverOptions): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  try {
    if (path !== zipkinSpansPath) throw collectorErrors.notFound(path, `POST ${zipkinSpansPath}`);
    if (request.method !== 'POST') throw collectorErrors.methodNotAllowed(request.method ?? '?', path);
    if (options.ingestToken && !hasBearerToken(request.headers.authorization, options.ingestToken)) throw collectorErrors.unauthorized();
    const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const read = readers.get(mediaType);
    if (!read) throw collectorErrors.unsupportedMediaType(mediaType, 'application/json or application/x-protobuf (Zipkin v2)');
    const body = await readAdmittedBody(request, options.pipeline, options.maxBodyBytes);
    const result = await options.pipeline.consumeWith(body, 'spans', (window) => zipkinToRows(read(body), window));
    options.pipeline.metrics.countItems('traces', result.accepted, result.refused);
    response.writeHead(202, { 'Content-Length': 0 });
    response.end();
  } catch (error) {
    answerFailure(request, response, error, (failure) => ({ contentType: 'text/plain; charset=utf-8', body: Buffer.from(`${failure.message}\n`) }));
  }
}

/**
 * Zipkin has no partial success: as for an invalid span, one span outside the retention window
 * refuses the request (400, naming the setting), and nothing of it is stored.
 */
function zipkinToRows(spans: ZipkinSpan[], window: TimeWindow): SignalRows {
  const rows = zipkinSpanRows(spans);
  const refused = { invalid: 0, tooOld: 0, tooNew: 0 };
  if (keepInWindow(rows, (row) => row.timestamp, window, refused).length < rows.length) {
    throw collectorErrors.badRequest(refusalMessage(refused, 'spans', window));
  }
  const out = encodeSpanRows(rows);
  return { chunks: [{ table: writtenTables.traces, rows: out.finish(), count: rows.length }], accepted: rows.length, refused };
}

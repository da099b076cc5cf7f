/**
 * The collector's failures, decided in one place: each is permanent (4xx: the client must not
 * retry) or retryable (429/503 with Retry-After), with a stable code and the gRPC status code
 * that goes into the `google.rpc.Status` body.
 */
import { FaultlineError } from '../lib/errors';
import { OtlpDecodeError } from '../lib/otlp/decode/decodeError';

export class CollectorError extends FaultlineError {
  constructor(
    code: FaultlineError['code'],
    status: number,
    readonly grpcCode: number,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(code, status, message);
  }
}

const grpc = { invalidArgument: 3, notFound: 5, resourceExhausted: 8, unimplemented: 12, unavailable: 14, unauthenticated: 16 };

export const collectorErrors = {
  badRequest: (message: string) => new CollectorError('FAULTLINE_ERR_BAD_REQUEST', 400, grpc.invalidArgument, message),
  unauthorized: () =>
    new CollectorError('FAULTLINE_ERR_UNAUTHORIZED', 401, grpc.unauthenticated, 'missing or wrong bearer token (Authorization: Bearer <FAULTLINE_INGEST_TOKEN>)'),
  notFound: (path: string, endpoints = 'POST /v1/traces, /v1/logs, /v1/metrics or /v1/logs/json') =>
    new CollectorError('FAULTLINE_ERR_NOT_FOUND', 404, grpc.notFound, `no such endpoint ${path}: use ${endpoints}`),
  unknownService: (service: string) =>
    new CollectorError('FAULTLINE_ERR_NOT_FOUND', 404, grpc.notFound, `no such service ${service}: this server has the OTLP trace, logs and metrics services`),
  methodNotAllowed: (method: string, path: string) =>
    new CollectorError('FAULTLINE_ERR_METHOD_NOT_ALLOWED', 405, grpc.unimplemented, `${method} is not allowed on ${path}: use POST`),
  tooLarge: (limit: number) =>
    new CollectorError('FAULTLINE_ERR_BODY_TOO_LARGE', 413, grpc.invalidArgument, `request body exceeds the ${limit}-byte limit (after decompression); send smaller batches`),
  unsupportedMediaType: (type: string, accepted = 'application/x-protobuf or application/json') =>
    new CollectorError('FAULTLINE_ERR_UNSUPPORTED_MEDIA_TYPE', 415, grpc.invalidArgument, `unsupported Content-Type "${type}": use ${accepted}`),
  unsupportedEncoding: (encoding: string) =>
    new CollectorError('FAULTLINE_ERR_UNSUPPORTED_MEDIA_TYPE', 415, grpc.invalidArgument, `unsupported Content-Encoding "${encoding}": use gzip or none`),
  overloaded: () =>
    new CollectorError('FAULTLINE_ERR_OVERLOADED', 429, grpc.resourceExhausted, 'collector at its in-flight memory limit; retry later', 1),
  storeUnavailable: (cause: string) =>
    new CollectorError('FAULTLINE_ERR_STORE_UNAVAILABLE', 503, grpc.unavailable, `ClickHouse is unavailable (${cause}); nothing from this request was stored, retry later`, 5),
  storeFull: (cause: string) =>
    new CollectorError('FAULTLINE_ERR_STORE_FULL', 503, grpc.unavailable, `ClickHouse has no disk space left (${cause}); nothing from this request was stored, retry later`, 5),
  internal: (message: string) =>
    new CollectorError('FAULTLINE_ERR_INTERNAL', 500, 13, `internal collector error: ${message}`),
  shuttingDown: () =>
    new CollectorError('FAULTLINE_ERR_SHUTTING_DOWN', 503, grpc.unavailable, 'collector is shutting down; retry against another instance', 1),
};

/** A failed insert: the store refused or could not be reached. Retryable. */
export class StoreWriteError extends Error {}

/** ClickHouse's NOT_ENOUGH_SPACE (it reserves space before writing a part) or the system's ENOSPC (errno 28). */
const outOfSpace = /NOT_ENOUGH_SPACE|No space left on device|ENOSPC|errno:? 28\b/i;

/** Every failure as the error answered to the client. */
export function classify(error: unknown): CollectorError {
  if (error instanceof CollectorError) return error;
  if (error instanceof OtlpDecodeError) return collectorErrors.badRequest(error.message);
  const text = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  if (error instanceof StoreWriteError) return outOfSpace.test(text) ? collectorErrors.storeFull(text) : collectorErrors.storeUnavailable(text);
  return collectorErrors.internal(text);
}

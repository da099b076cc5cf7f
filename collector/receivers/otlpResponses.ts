/**
 * OTLP/HTTP response bodies, in the request's encoding: `Export*ServiceResponse` (with
 * `partial_success` when items were rejected) and `google.rpc.Status` for failures.
 */

export type Signal = 'traces' | 'logs' | 'metrics';
export type Encoding = 'protobuf' | 'json';

const rejectedField: Record<Signal, string> = {
  traces: 'rejectedSpans',
  logs: 'rejectedLogRecords',
  metrics: 'rejectedDataPoints',
};

function varint(value: number): number[] {
  const bytes: number[] = [];
  while (value > 0x7f) {
    bytes.push((value & 0x7f) | 0x80);
    value = Math.floor(value / 128);
  }
  bytes.push(value);
  return bytes;
}

function lengthDelimited(field: number, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([(field << 3) | 2, ...varint(payload.length)]), payload]);
}

export function exportResponse(signal: Signal, encoding: Encoding, rejected: number, rejectReason?: string): Buffer {
  const message = rejectReason ?? 'some items were invalid';
  if (encoding === 'json') {
    const body = rejected > 0 ? { partialSuccess: { [rejectedField[signal]]: String(rejected), errorMessage: message } } : {};
    return Buffer.from(JSON.stringify(body));
  }
  if (rejected === 0) return Buffer.alloc(0);
  // Export*PartialSuccess: 1 = rejected count (int64), 2 = error_message.
  const partial = Buffer.concat([Buffer.from([0x08, ...varint(rejected)]), lengthDelimited(2, Buffer.from(message))]);
  return lengthDelimited(1, partial);
}

/** google.rpc.Status: 1 = code (a gRPC code), 2 = message. */
export function statusResponse(encoding: Encoding, grpcCode: number, message: string): Buffer {
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code: grpcCode, message }));
  return Buffer.concat([Buffer.from([0x08, ...varint(grpcCode)]), lengthDelimited(2, Buffer.from(message))]);
}

/**
 * The `google.rpc.Status` of a gRPC failure (the `grpc-status-details-bin` trailer): with a retry
 * delay, it carries a `google.rpc.RetryInfo` in `details` (3, a `google.protobuf.Any`), as OTLP/gRPC
 * asks of throttling answers.
 */
export function grpcStatusDetails(grpcCode: number, message: string, retryAfterSeconds?: number): Buffer {
  const status = statusResponse('protobuf', grpcCode, message);
  if (retryAfterSeconds === undefined) return status;
  // RetryInfo: 1 = retry_delay, a google.protobuf.Duration (1 = seconds).
  const retryInfo = lengthDelimited(1, Buffer.from([0x08, ...varint(retryAfterSeconds)]));
  const any = Buffer.concat([lengthDelimited(1, Buffer.from('type.googleapis.com/google.rpc.RetryInfo')), lengthDelimited(2, retryInfo)]);
  return Buffer.concat([status, lengthDelimited(3, any)]);
}

/**
 * ExportLogsServiceRequest (protobuf) → log rows. Field numbers from opentelemetry-proto's
 * logs/v1/logs.proto. Contrib convention: a record without a time takes its observed time.
 */
import { idFromBytes, spanIdBytes, traceIdBytes } from './hexIds';
import { readAnyValueText, readKeyValue, readRequest } from './protoFields';
import { WireType } from './protoReader';
import type { DecodedBatch, LogRow, Text } from '../rows/rowTypes';

export function decodeLogsProto(body: Buffer): DecodedBatch<LogRow> {
  const rows: LogRow[] = [];
  let rejected = 0;
  let rejectReason: string | undefined;
  readRequest(body, (resource, scope, reader) => {
    let time = 0n;
    let observed = 0n;
    let severityNumber = 0;
    let severityText: Text = '';
    let logBody: Text = '';
    const attributes: Text[] = [];
    let flags = 0;
    let traceIdRaw: Buffer = Buffer.alloc(0);
    let spanIdRaw: Buffer = Buffer.alloc(0);
    let eventName: Text = '';
    while (!reader.done) {
      switch (reader.tag()) {
        case 1:
          reader.expect(WireType.fixed64, 'LogRecord.time_unix_nano');
          time = reader.fixed64();
          break;
        case 11:
          reader.expect(WireType.fixed64, 'LogRecord.observed_time_unix_nano');
          observed = reader.fixed64();
          break;
        case 2:
          severityNumber = reader.uint32();
          break;
        case 3:
          severityText = reader.bytes();
          break;
        case 5:
          reader.expect(WireType.bytes, 'LogRecord.body');
          logBody = readAnyValueText(reader.message());
          break;
        case 6:
          readKeyValue(reader, attributes);
          break;
        case 8:
          reader.expect(WireType.fixed32, 'LogRecord.flags');
          flags = reader.fixed32();
          break;
        case 9:
          traceIdRaw = reader.bytes();
          break;
        case 10:
          spanIdRaw = reader.bytes();
          break;
        case 12:
          eventName = reader.bytes();
          break;
        default:
          reader.skip();
      }
    }
    const traceId = idFromBytes(traceIdRaw, traceIdBytes);
    const spanId = idFromBytes(spanIdRaw, spanIdBytes);
    if (traceId === undefined || spanId === undefined) {
      rejected++;
      rejectReason ??= 'log record with an invalid trace_id (16 bytes) or span_id (8 bytes)';
      return;
    }
    rows.push({
      resource,
      scope,
      timestamp: time || observed,
      traceId,
      spanId,
      traceFlags: flags & 0xff,
      severityText,
      severityNumber,
      body: logBody,
      attributes,
      eventName,
    });
  });
  return { rows, rejected, rejectReason };
}

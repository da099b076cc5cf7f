/**
 * ExportTraceServiceRequest (protobuf) → span rows. Field numbers from
 * opentelemetry-proto's trace/v1/trace.proto. A span with a missing or malformed id is
 * rejected (counted for partial success); a body that isn't valid protobuf throws.
 */
import { readKeyValue, readRequest } from './protoCommon';
import { ProtoReader, WireType } from './protoReader';
import { idFromBytes, isAllZero, spanIdBytes, traceIdBytes } from './ids';
import {
  spanKindName,
  statusCodeName,
  type DecodedBatch,
  type ResourceInfo,
  type ScopeInfo,
  type SpanEventRow,
  type SpanLinkRow, type SpanRow,
  type Text,
} from './rows';

export function decodeTracesProto(body: Buffer): DecodedBatch<SpanRow> {
  const rows: SpanRow[] = [];
  let rejected = 0;
  let rejectReason: string | undefined;
  readRequest(body, (resource, scope, item) => {
    const span = readSpan(item, resource, scope);
    if (typeof span === 'string') {
      rejected++;
      rejectReason ??= span;
      return;
    }
    rows.push(span);
  });
  return { rows, rejected, rejectReason };
}

/** A span row, or why the span was rejected. */
function readSpan(reader: ProtoReader, resource: ResourceInfo, scope: ScopeInfo): SpanRow | string {
  let traceId: Buffer | undefined;
  let spanId: Buffer | undefined;
  let parentSpanId: Buffer | undefined;
  let traceState: Text = '';
  let name: Text = '';
  let kind = 0;
  let start = 0n;
  let end = 0n;
  const attributes: Text[] = [];
  const events: SpanEventRow[] = [];
  const links: SpanLinkRow[] = [];
  let statusCode = 0;
  let statusMessage: Text = '';
  while (!reader.done) {
    switch (reader.tag()) {
      case 1:
        reader.expect(WireType.bytes, 'Span.trace_id');
        traceId = reader.bytes();
        break;
      case 2:
        reader.expect(WireType.bytes, 'Span.span_id');
        spanId = reader.bytes();
        break;
      case 3:
        traceState = reader.bytes();
        break;
      case 4:
        reader.expect(WireType.bytes, 'Span.parent_span_id');
        parentSpanId = reader.bytes();
        break;
      case 5:
        reader.expect(WireType.bytes, 'Span.name');
        name = reader.bytes();
        break;
      case 6:
        kind = reader.uint32();
        break;
      case 7:
        reader.expect(WireType.fixed64, 'Span.start_time_unix_nano');
        start = reader.fixed64();
        break;
      case 8:
        reader.expect(WireType.fixed64, 'Span.end_time_unix_nano');
        end = reader.fixed64();
        break;
      case 9:
        readKeyValue(reader, attributes);
        break;
      case 11: {
        const event = readEvent(reader.message());
        events.push(event);
        break;
      }
      case 13: {
        const link = readLink(reader.message());
        if (typeof link === 'string') return link;
        links.push(link);
        break;
      }
      case 15: {
        const status = reader.message();
        while (!status.done) {
          const field = status.tag();
          if (field === 2) statusMessage = status.bytes();
          else if (field === 3) statusCode = status.uint32();
          else status.skip();
        }
        break;
      }
      default:
        reader.skip();
    }
  }
  const trace = traceId && idFromBytes(traceId, traceIdBytes);
  if (!trace || isAllZero(trace)) return 'span with a missing or invalid trace_id (must be 16 bytes, not all zero)';
  const span = spanId && idFromBytes(spanId, spanIdBytes);
  if (!span || isAllZero(span)) return 'span with a missing or invalid span_id (must be 8 bytes, not all zero)';
  const parent = parentSpanId ? idFromBytes(parentSpanId, spanIdBytes) : '';
  if (parent === undefined) return 'span with an invalid parent_span_id (must be 8 bytes)';
  return {
    resource,
    scope,
    timestamp: start,
    traceId: trace,
    spanId: span,
    parentSpanId: parent,
    traceState,
    name,
    kind: spanKindName(kind),
    attributes,
    duration: end > start ? end - start : 0n,
    statusCode: statusCodeName(statusCode),
    statusMessage,
    events,
    links,
  };
}

function readEvent(reader: ProtoReader): SpanEventRow {
  const event: SpanEventRow = { time: 0n, name: '', attributes: [] };
  while (!reader.done) {
    const field = reader.tag();
    if (field === 1) {
      reader.expect(WireType.fixed64, 'Span.Event.time_unix_nano');
      event.time = reader.fixed64();
    } else if (field === 2) event.name = reader.bytes();
    else if (field === 3) readKeyValue(reader, event.attributes);
    else reader.skip();
  }
  return event;
}

function readLink(reader: ProtoReader): SpanLinkRow | string {
  let traceId: Buffer = Buffer.alloc(0);
  let spanId: Buffer = Buffer.alloc(0);
  const link: SpanLinkRow = { traceId: '', spanId: '', traceState: '', attributes: [] };
  while (!reader.done) {
    const field = reader.tag();
    if (field === 1) traceId = reader.bytes();
    else if (field === 2) spanId = reader.bytes();
    else if (field === 3) link.traceState = reader.bytes();
    else if (field === 4) readKeyValue(reader, link.attributes);
    else reader.skip();
  }
  const trace = idFromBytes(traceId, traceIdBytes);
  const span = idFromBytes(spanId, spanIdBytes);
  if (trace === undefined || span === undefined) return 'span link with an invalid trace_id or span_id';
  link.traceId = trace;
  link.spanId = span;
  return link;
}

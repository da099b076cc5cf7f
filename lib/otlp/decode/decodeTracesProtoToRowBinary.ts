/**
 * ExportTraceServiceRequest (protobuf) → RowBinary rows for `otel_traces`, in one pass. Field
 * numbers from opentelemetry-proto's trace/v1/trace.proto. A span's fields may come in any
 * order but its columns may not, so each span is first read into byte ranges of the body, then
 * written: strings and times are copied byte for byte, ids are written as hex, and the resource
 * and scope columns are encoded once per block. No string or object is made per span: this is
 * the collector's hottest loop. A span with a missing or malformed id, or starting outside the
 * time window, is rejected (counted for partial success); a body that isn't valid protobuf throws.
 */
import { spanIdBytes, traceIdBytes } from './hexIds';
import { readAnyValueText, readRequest } from './protoFields';
import { ProtoReader, WireType } from './protoReader';
import { RowBinaryWriter } from '../rows/rowBinaryWriter';
import { spanKindName, statusCodeName, type ResourceInfo, type ScopeInfo, type Text } from '../rows/rowTypes';
import { outsideWindow, type Refused, type TimeWindow } from './timeWindow';

export type EncodedRows = { count: number; refused: Refused };

/**
 * Where the span being read lies in the body: [start, end) offsets (empty when absent), times as
 * 32-bit halves. Attribute lists hold key start, key end, value start, value end per attribute; a
 * value that had to be rendered (not a string) has start `-1 - i` for `rendered[i]`. Events hold
 * time low, time high, name start, name end and the end of their attributes in `eventAttributes`;
 * links trace id, span id and trace state ranges and the end of theirs in `linkAttributes`.
 */
class SpanRanges {
  traceId = 0;
  traceIdEnd = 0;
  spanId = 0;
  spanIdEnd = 0;
  parentSpanId = 0;
  parentSpanIdEnd = 0;
  traceState = 0;
  traceStateEnd = 0;
  name = 0;
  nameEnd = 0;
  kind = 0;
  startLow = 0;
  startHigh = 0;
  endLow = 0;
  endHigh = 0;
  statusCode = 0;
  statusMessage = 0;
  statusMessageEnd = 0;
  readonly attributes: number[] = [];
  readonly events: number[] = [];
  readonly eventAttributes: number[] = [];
  readonly links: number[] = [];
  readonly linkAttributes: number[] = [];
  readonly rendered: Text[] = [];

  reset(): void {
    this.traceId = this.traceIdEnd = this.spanId = this.spanIdEnd = this.parentSpanId = this.parentSpanIdEnd = 0;
    this.traceState = this.traceStateEnd = this.name = this.nameEnd = this.kind = 0;
    this.startLow = this.startHigh = this.endLow = this.endHigh = 0;
    this.statusCode = this.statusMessage = this.statusMessageEnd = 0;
    this.attributes.length = this.events.length = this.eventAttributes.length = 0;
    this.links.length = this.linkAttributes.length = this.rendered.length = 0;
  }
}

const eventStride = 5;
const linkStride = 7;

export function decodeTracesProtoToRowBinary(body: Buffer, out: RowBinaryWriter, window: TimeWindow): EncodedRows {
  const span = new SpanRanges();
  let resource: ResourceInfo | undefined;
  let resourceColumns: Buffer = Buffer.alloc(0);
  let scope: ScopeInfo | undefined;
  let scopeColumns: Buffer = Buffer.alloc(0);
  let count = 0;
  const refused: Refused = { invalid: 0, tooOld: 0, tooNew: 0 };
  readRequest(body, (itemResource, itemScope, item) => {
    span.reset();
    const problem = readSpan(item, span);
    if (problem) {
      refused.invalid++;
      refused.message ??= problem;
      return;
    }
    if (outsideWindow((BigInt(span.startHigh) << 32n) | BigInt(span.startLow), window, refused)) return;
    if (itemResource !== resource) {
      resource = itemResource;
      resourceColumns = encodeColumns((columns) => {
        columns.string(itemResource.serviceName);
        columns.map(itemResource.attributes);
      });
    }
    if (itemScope !== scope) {
      scope = itemScope;
      scopeColumns = encodeColumns((columns) => {
        columns.string(itemScope.name);
        columns.string(itemScope.version);
      });
    }
    writeSpan(out, body, span, resourceColumns, scopeColumns);
    count++;
  });
  return { count, refused };
}

function encodeColumns(write: (columns: RowBinaryWriter) => void): Buffer {
  const columns = new RowBinaryWriter(1024);
  write(columns);
  return Buffer.from(columns.finish());
}

/** Reads a span into `span`; returns why it is rejected, if it is. */
function readSpan(reader: ProtoReader, span: SpanRanges): string | undefined {
  while (!reader.done) {
    switch (reader.tag()) {
      case 1:
        reader.expect(WireType.bytes, 'Span.trace_id');
        span.traceId = reader.skipBytes();
        span.traceIdEnd = reader.pos;
        break;
      case 2:
        reader.expect(WireType.bytes, 'Span.span_id');
        span.spanId = reader.skipBytes();
        span.spanIdEnd = reader.pos;
        break;
      case 3:
        reader.expect(WireType.bytes, 'Span.trace_state');
        span.traceState = reader.skipBytes();
        span.traceStateEnd = reader.pos;
        break;
      case 4:
        reader.expect(WireType.bytes, 'Span.parent_span_id');
        span.parentSpanId = reader.skipBytes();
        span.parentSpanIdEnd = reader.pos;
        break;
      case 5:
        reader.expect(WireType.bytes, 'Span.name');
        span.name = reader.skipBytes();
        span.nameEnd = reader.pos;
        break;
      case 6:
        span.kind = reader.uint32();
        break;
      case 7:
        reader.expect(WireType.fixed64, 'Span.start_time_unix_nano');
        span.startLow = reader.fixed32();
        span.startHigh = reader.fixed32();
        break;
      case 8:
        reader.expect(WireType.fixed64, 'Span.end_time_unix_nano');
        span.endLow = reader.fixed32();
        span.endHigh = reader.fixed32();
        break;
      case 9:
        readKeyValue(reader, span.attributes, span.rendered);
        break;
      case 11:
        reader.expect(WireType.bytes, 'Span.events');
        readEvent(reader.message(), span);
        break;
      case 13:
        reader.expect(WireType.bytes, 'Span.links');
        readLink(reader.message(), span);
        break;
      case 15:
        reader.expect(WireType.bytes, 'Span.status');
        readStatus(reader.message(), span);
        break;
      default:
        reader.skip();
    }
  }
  const body = reader.buf;
  if (span.traceIdEnd - span.traceId !== traceIdBytes || isAllZero(body, span.traceId, span.traceIdEnd)) {
    return 'span with a missing or invalid trace_id (must be 16 bytes, not all zero)';
  }
  if (span.spanIdEnd - span.spanId !== spanIdBytes || isAllZero(body, span.spanId, span.spanIdEnd)) {
    return 'span with a missing or invalid span_id (must be 8 bytes, not all zero)';
  }
  if (!isIdOrEmpty(span.parentSpanIdEnd - span.parentSpanId, spanIdBytes)) return 'span with an invalid parent_span_id (must be 8 bytes)';
  for (let i = 0; i < span.links.length; i += linkStride) {
    const links = span.links;
    if (!isIdOrEmpty(links[i + 1]! - links[i]!, traceIdBytes) || !isIdOrEmpty(links[i + 3]! - links[i + 2]!, spanIdBytes)) {
      return 'span link with an invalid trace_id or span_id';
    }
  }
  return undefined;
}

function isIdOrEmpty(length: number, idLength: number): boolean {
  return length === 0 || length === idLength;
}

function isAllZero(body: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (body[i] !== 0) return false;
  return true;
}

/** A KeyValue into an attribute list; skipped without a key, like protoFields' `readKeyValue`. */
function readKeyValue(reader: ProtoReader, into: number[], rendered: Text[]): void {
  reader.expect(WireType.bytes, 'KeyValue');
  const kv = reader.message();
  let key = -1;
  let keyEnd = 0;
  let value = 0;
  let valueEnd = 0;
  while (!kv.done) {
    const field = kv.tag();
    if (field === 1) {
      kv.expect(WireType.bytes, 'KeyValue.key');
      key = kv.skipBytes();
      keyEnd = kv.pos;
    } else if (field === 2) {
      kv.expect(WireType.bytes, 'KeyValue.value');
      const anyValue = kv.message();
      const from = anyValue.pos;
      // Nearly every value is a lone string_value: keep its bytes where they are.
      if (!anyValue.done && anyValue.tag() === 1 && anyValue.wireType === WireType.bytes) {
        value = anyValue.skipBytes();
        valueEnd = anyValue.pos;
        if (anyValue.done) continue;
      }
      anyValue.pos = from;
      value = -1 - rendered.length;
      valueEnd = 0;
      rendered.push(readAnyValueText(anyValue));
    } else kv.skip();
  }
  if (key >= 0) into.push(key, keyEnd, value, valueEnd);
}

function readEvent(reader: ProtoReader, span: SpanRanges): void {
  let timeLow = 0;
  let timeHigh = 0;
  let name = 0;
  let nameEnd = 0;
  while (!reader.done) {
    const field = reader.tag();
    if (field === 1) {
      reader.expect(WireType.fixed64, 'Span.Event.time_unix_nano');
      timeLow = reader.fixed32();
      timeHigh = reader.fixed32();
    } else if (field === 2) {
      reader.expect(WireType.bytes, 'Span.Event.name');
      name = reader.skipBytes();
      nameEnd = reader.pos;
    } else if (field === 3) readKeyValue(reader, span.eventAttributes, span.rendered);
    else reader.skip();
  }
  span.events.push(timeLow, timeHigh, name, nameEnd, span.eventAttributes.length);
}

function readLink(reader: ProtoReader, span: SpanRanges): void {
  const ranges = [0, 0, 0, 0, 0, 0];
  while (!reader.done) {
    const field = reader.tag();
    if (field >= 1 && field <= 3) {
      reader.expect(WireType.bytes, 'Span.Link');
      ranges[2 * field - 2] = reader.skipBytes();
      ranges[2 * field - 1] = reader.pos;
    } else if (field === 4) readKeyValue(reader, span.linkAttributes, span.rendered);
    else reader.skip();
  }
  span.links.push(...ranges, span.linkAttributes.length);
}

function readStatus(reader: ProtoReader, span: SpanRanges): void {
  while (!reader.done) {
    const field = reader.tag();
    if (field === 2) {
      reader.expect(WireType.bytes, 'Status.message');
      span.statusMessage = reader.skipBytes();
      span.statusMessageEnd = reader.pos;
    } else if (field === 3) span.statusCode = reader.uint32();
    else reader.skip();
  }
}

/** One row, in the column order of `writtenTables.traces` (lib/clickhouse/tables.ts). */
function writeSpan(out: RowBinaryWriter, body: Buffer, span: SpanRanges, resourceColumns: Buffer, scopeColumns: Buffer): void {
  out.uint32(span.startLow);
  out.uint32(span.startHigh);
  out.hex(body, span.traceId, span.traceIdEnd);
  out.hex(body, span.spanId, span.spanIdEnd);
  out.hex(body, span.parentSpanId, span.parentSpanIdEnd);
  out.bytes(body, span.traceState, span.traceStateEnd);
  out.bytes(body, span.name, span.nameEnd);
  out.string(spanKindName(span.kind));
  out.raw(resourceColumns);
  out.raw(scopeColumns);
  writeMap(out, body, span, span.attributes, 0, span.attributes.length);
  writeDuration(out, span);
  out.string(statusCodeName(span.statusCode));
  out.bytes(body, span.statusMessage, span.statusMessageEnd);

  const events = span.events;
  out.varint(events.length / eventStride);
  for (let i = 0; i < events.length; i += eventStride) {
    out.uint32(events[i]!);
    out.uint32(events[i + 1]!);
  }
  out.varint(events.length / eventStride);
  for (let i = 0; i < events.length; i += eventStride) out.bytes(body, events[i + 2]!, events[i + 3]!);
  out.varint(events.length / eventStride);
  for (let i = 0, from = 0; i < events.length; i += eventStride) {
    writeMap(out, body, span, span.eventAttributes, from, events[i + 4]!);
    from = events[i + 4]!;
  }

  const links = span.links;
  out.varint(links.length / linkStride);
  for (let i = 0; i < links.length; i += linkStride) out.hex(body, links[i]!, links[i + 1]!);
  out.varint(links.length / linkStride);
  for (let i = 0; i < links.length; i += linkStride) out.hex(body, links[i + 2]!, links[i + 3]!);
  out.varint(links.length / linkStride);
  for (let i = 0; i < links.length; i += linkStride) out.bytes(body, links[i + 4]!, links[i + 5]!);
  out.varint(links.length / linkStride);
  for (let i = 0, from = 0; i < links.length; i += linkStride) {
    writeMap(out, body, span, span.linkAttributes, from, links[i + 6]!);
    from = links[i + 6]!;
  }
}

/** Map(String, String) from the attribute ranges `list[from, to)`. */
function writeMap(out: RowBinaryWriter, body: Buffer, span: SpanRanges, list: number[], from: number, to: number): void {
  out.varint((to - from) / 4);
  for (let i = from; i < to; i += 4) {
    out.bytes(body, list[i]!, list[i + 1]!);
    const value = list[i + 2]!;
    if (value >= 0) out.bytes(body, value, list[i + 3]!);
    else out.string(span.rendered[-1 - value]!);
  }
}

/** Duration UInt64: end − start in nanoseconds, 0 when the span ends before it starts. */
function writeDuration(out: RowBinaryWriter, span: SpanRanges): void {
  const { startLow, startHigh, endLow, endHigh } = span;
  if (endHigh < startHigh || (endHigh === startHigh && endLow <= startLow)) {
    out.uint32(0);
    out.uint32(0);
    return;
  }
  const low = endLow - startLow;
  out.uint32(low < 0 ? low + 2 ** 32 : low);
  out.uint32(endHigh - startHigh - (low < 0 ? 1 : 0));
}

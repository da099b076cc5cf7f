/**
 * Reading Zipkin v2 protobuf (`zipkin.proto3.ListOfSpans`, zipkin-api's zipkin.proto) into the
 * same spans as the JSON reader. Field numbers are the schema's; ids are bytes, times microseconds.
 * A bad field throws an `OtlpDecodeError` naming the span and the field.
 */
import { OtlpDecodeError } from '../otlp/decode/decodeError';
import { isAllZero } from '../otlp/decode/hexIds';
import { ProtoReader, WireType } from '../otlp/decode/protoReader';
import type { ZipkinEndpoint, ZipkinSpan } from './readZipkinJson';

const kinds = ['', 'CLIENT', 'SERVER', 'PRODUCER', 'CONSUMER'];

export function readZipkinProto(body: Buffer): ZipkinSpan[] {
  const spans: ZipkinSpan[] = [];
  const list = new ProtoReader(body);
  while (!list.done) {
    if (list.tag() === 1 && list.wireType === WireType.bytes) spans.push(readSpan(list.message(), `[${spans.length}]`));
    else list.skip();
  }
  return spans;
}

function readSpan(reader: ProtoReader, path: string): ZipkinSpan {
  const span: ZipkinSpan = { traceId: '', id: '', parentId: '', name: '', kind: '', durationMicros: 0n, annotations: [], tags: new Map() };
  while (!reader.done) {
    const field = reader.tag();
    if (field === 1) span.traceId = readId(reader, `${path}.traceId`, [8, 16]);
    else if (field === 2) span.parentId = readId(reader, `${path}.parentId`, [8]);
    else if (field === 3) span.id = readId(reader, `${path}.id`, [8]);
    else if (field === 4) span.kind = kinds[reader.uint32()] ?? '';
    else if (field === 5) span.name = reader.string();
    else if (field === 6) span.timestampMicros = reader.fixed64();
    else if (field === 7) span.durationMicros = reader.uint64();
    else if (field === 8) span.localEndpoint = readEndpoint(reader.message(), `${path}.localEndpoint`);
    else if (field === 9) span.remoteEndpoint = readEndpoint(reader.message(), `${path}.remoteEndpoint`);
    else if (field === 10) span.annotations.push(readAnnotation(reader.message()));
    else if (field === 11) readTag(reader.message(), span.tags);
    else reader.skip();
  }
  if (!span.traceId) throw new OtlpDecodeError(`${path}.traceId: missing`);
  if (!span.id) throw new OtlpDecodeError(`${path}.id: missing`);
  return span;
}

/** Lower-hex of an 8- or 16-byte id, a 64-bit trace id left-padded to 32 digits. */
function readId(reader: ProtoReader, path: string, lengths: number[]): string {
  const bytes = reader.bytes();
  const hex = bytes.toString('hex');
  if (!lengths.includes(bytes.length) || isAllZero(hex)) {
    throw new OtlpDecodeError(`${path}: expected ${lengths.join(' or ')} bytes, not all zero, got ${bytes.length}`);
  }
  return hex.padStart(Math.max(...lengths) * 2, '0');
}

function readEndpoint(reader: ProtoReader, path: string): ZipkinEndpoint {
  const endpoint: ZipkinEndpoint = { serviceName: '', ipv4: '', ipv6: '', port: 0 };
  while (!reader.done) {
    const field = reader.tag();
    if (field === 1) endpoint.serviceName = reader.string();
    else if (field === 2) endpoint.ipv4 = ipv4Text(reader.bytes(), `${path}.ipv4`);
    else if (field === 3) endpoint.ipv6 = ipv6Text(reader.bytes(), `${path}.ipv6`);
    else if (field === 4) endpoint.port = reader.uint32() & 0xffff;
    else reader.skip();
  }
  return endpoint;
}

function readAnnotation(reader: ProtoReader): ZipkinSpan['annotations'][number] {
  const annotation = { timestampMicros: 0n, value: '' };
  while (!reader.done) {
    const field = reader.tag();
    if (field === 1) annotation.timestampMicros = reader.fixed64();
    else if (field === 2) annotation.value = reader.string();
    else reader.skip();
  }
  return annotation;
}

/** One `map<string, string>` entry: key = 1, value = 2. */
function readTag(reader: ProtoReader, into: Map<string, string>): void {
  let key = '';
  let value = '';
  while (!reader.done) {
    const field = reader.tag();
    if (field === 1) key = reader.string();
    else if (field === 2) value = reader.string();
    else reader.skip();
  }
  into.set(key, value);
}

function ipv4Text(bytes: Buffer, path: string): string {
  if (bytes.length === 0) return '';
  if (bytes.length !== 4) throw new OtlpDecodeError(`${path}: expected 4 bytes, got ${bytes.length}`);
  return [...bytes].join('.');
}

function ipv6Text(bytes: Buffer, path: string): string {
  if (bytes.length === 0) return '';
  if (bytes.length !== 16) throw new OtlpDecodeError(`${path}: expected 16 bytes, got ${bytes.length}`);
  const groups = Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2).toString(16));
  // The URL parser writes an IPv6 address in its shortest form (RFC 5952), as Zipkin's JSON does.
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

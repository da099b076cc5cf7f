/**
 * OTLP bodies whose one attribute value nests arrays `depth` levels deep, in protobuf and in JSON,
 * and a JSON log line nesting objects as deep: the shape that exhausts a recursive decoder's stack.
 */

function varint(value: number): number[] {
  const bytes: number[] = [];
  while (value > 0x7f) {
    bytes.push((value & 0x7f) | 0x80);
    value >>>= 7;
  }
  bytes.push(value);
  return bytes;
}

function fieldHeader(field: number, length: number): number[] {
  return [...varint((field << 3) | 2), ...varint(length)];
}

/** A length-delimited protobuf field. */
export function protoField(field: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from(fieldHeader(field, content.length)), content]);
}

/** `content` wrapped in length-delimited fields, the first of `fields` innermost; written once, however deep. */
export function wrapInFields(content: Buffer, fields: number[]): Buffer {
  const headers: number[][] = [];
  let length = content.length;
  for (const field of fields) {
    const header = fieldHeader(field, length);
    headers.push(header);
    length += header.length;
  }
  const out = Buffer.alloc(length);
  let at = length - content.length;
  content.copy(out, at);
  for (const header of headers) {
    at -= header.length;
    out.set(header, at);
  }
  return out;
}

/** ExportTraceServiceRequest { resource_spans { resource { attributes { key "deep" value: AnyValue nested `depth` array_values } } } }. */
export function deeplyNestedTracesProto(depth: number): Buffer {
  // AnyValue.array_value (5) holds an ArrayValue, whose values (1) are AnyValues.
  const value = wrapInFields(protoField(1, Buffer.from('x')), Array.from({ length: depth }, () => [1, 5]).flat());
  const keyValue = Buffer.concat([protoField(1, Buffer.from('deep')), protoField(2, value)]);
  return wrapInFields(keyValue, [1, 1, 1]);
}

function nestedJsonValue(depth: number): string {
  return `${'{"arrayValue":{"values":['.repeat(depth)}{"stringValue":"x"}${']}}'.repeat(depth)}`;
}

/** The same request in OTLP/JSON, built as text (JSON.stringify itself recurses). */
export function deeplyNestedTracesJson(depth: number): string {
  return `{"resourceSpans":[{"resource":{"attributes":[{"key":"deep","value":${nestedJsonValue(depth)}}]}}]}`;
}

/** One JSON log line with an attribute of objects nested `depth` levels deep. */
export function deeplyNestedLogLine(depth: number): string {
  return `{"msg":"deep","nested":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}\n`;
}

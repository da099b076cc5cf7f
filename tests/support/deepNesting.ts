/**
 * OTLP bodies whose one attribute value nests arrays `depth` levels deep, in protobuf and in JSON,
 * and a JSON log line nesting objects as deep: the shape that exhausts a recursive decoder's stack.
 */

function varint(value: number): Buffer {
  const bytes: number[] = [];
  while (value > 0x7f) {
    bytes.push((value & 0x7f) | 0x80);
    value >>>= 7;
  }
  bytes.push(value);
  return Buffer.from(bytes);
}

/** A length-delimited protobuf field. */
export function protoField(field: number, content: Buffer): Buffer {
  return Buffer.concat([varint((field << 3) | 2), varint(content.length), content]);
}

/** ExportTraceServiceRequest { resource_spans { resource { attributes { key "deep" value: AnyValue nested `depth` array_values } } } }. */
export function deeplyNestedTracesProto(depth: number): Buffer {
  let value = protoField(1, Buffer.from('x'));
  for (let level = 0; level < depth; level++) value = protoField(5, protoField(1, value));
  const keyValue = Buffer.concat([protoField(1, Buffer.from('deep')), protoField(2, value)]);
  return protoField(1, protoField(1, protoField(1, keyValue)));
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

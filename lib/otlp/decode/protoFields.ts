/**
 * Decoders for the OTLP messages every signal shares — Resource, InstrumentationScope,
 * KeyValue, AnyValue — with field numbers from opentelemetry-proto's common/v1 and resource/v1.
 */
import { checkNestingDepth, formatDouble, renderJsonValue, type JsonValue } from './anyValue';
import { ProtoReader, WireType } from './protoReader';
import type { Attributes, ResourceInfo, ScopeInfo, Text } from '../rows/rowTypes';

const serviceNameKey = Buffer.from('service.name');

/** Reads a repeated KeyValue field element into the flat attribute list. */
export function readKeyValue(reader: ProtoReader, into: Attributes): void {
  const kv = reader.message();
  let key: Buffer | undefined;
  let value: Text = '';
  while (!kv.done) {
    const field = kv.tag();
    if (field === 1) {
      kv.expect(WireType.bytes, 'KeyValue.key');
      key = kv.bytes();
    } else if (field === 2) {
      kv.expect(WireType.bytes, 'KeyValue.value');
      value = readAnyValueText(kv.message());
    } else kv.skip();
  }
  if (key !== undefined) into.push(key, value);
}

/** AnyValue as stored text: string bytes pass through untouched, the rest are rendered. */
export function readAnyValueText(reader: ProtoReader): Text {
  let rendered: Text = '';
  while (!reader.done) {
    const field = reader.tag();
    if (field === 1) {
      reader.expect(WireType.bytes, 'AnyValue.string_value');
      rendered = reader.bytes();
    } else if (field === 2) rendered = reader.bool() ? 'true' : 'false';
    else if (field === 3) rendered = reader.int64().toString();
    else if (field === 4) {
      reader.expect(WireType.fixed64, 'AnyValue.double_value');
      rendered = formatDouble(reader.double());
    } else if (field === 5 || field === 6 || field === 7) {
      reader.expect(WireType.bytes, 'AnyValue');
      const inner = reader.message();
      const value = field === 5 ? readArray(inner, 1) : field === 6 ? readKvList(inner, 1) : inner.buf.toString('base64', inner.pos, inner.end);
      rendered = renderJsonValue(value);
    } else reader.skip();
  }
  return rendered;
}

function readAnyValue(reader: ProtoReader, depth: number): JsonValue {
  let value: JsonValue = null;
  while (!reader.done) {
    const field = reader.tag();
    if (field === 1) value = reader.string();
    else if (field === 2) value = reader.bool();
    else if (field === 3) {
      const int = reader.int64();
      value = int >= BigInt(Number.MIN_SAFE_INTEGER) && int <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(int) : int;
    } else if (field === 4) value = reader.double();
    else if (field === 5) value = readArray(reader.message(), depth + 1);
    else if (field === 6) value = readKvList(reader.message(), depth + 1);
    else if (field === 7) value = reader.bytes().toString('base64');
    else reader.skip();
  }
  return value;
}

function readArray(reader: ProtoReader, depth: number): JsonValue[] {
  checkNestingDepth(depth, 'AnyValue.array_value');
  const values: JsonValue[] = [];
  while (!reader.done) {
    if (reader.tag() === 1) values.push(readAnyValue(reader.message(), depth));
    else reader.skip();
  }
  return values;
}

function readKvList(reader: ProtoReader, depth: number): { [key: string]: JsonValue } {
  checkNestingDepth(depth, 'AnyValue.kvlist_value');
  const values: { [key: string]: JsonValue } = {};
  while (!reader.done) {
    if (reader.tag() !== 1) {
      reader.skip();
      continue;
    }
    const kv = reader.message();
    let key = '';
    let value: JsonValue = null;
    while (!kv.done) {
      const field = kv.tag();
      if (field === 1) key = kv.string();
      else if (field === 2) value = readAnyValue(kv.message(), depth);
      else kv.skip();
    }
    values[key] = value;
  }
  return values;
}

export function readResource(reader: ProtoReader, schemaUrl: Text): ResourceInfo {
  const attributes: Attributes = [];
  while (!reader.done) {
    if (reader.tag() === 1) readKeyValue(reader, attributes);
    else reader.skip();
  }
  return { serviceName: findServiceName(attributes), attributes, schemaUrl };
}

function findServiceName(attributes: Attributes): Text {
  for (let i = 0; i < attributes.length; i += 2) {
    const key = attributes[i]!;
    if (typeof key === 'string' ? key === 'service.name' : serviceNameKey.equals(key)) return attributes[i + 1]!;
  }
  return '';
}

export function readScope(reader: ProtoReader, schemaUrl: Text): ScopeInfo {
  const scope: ScopeInfo = { name: '', version: '', attributes: [], droppedAttributesCount: 0, schemaUrl };
  while (!reader.done) {
    const field = reader.tag();
    if (field === 1) scope.name = reader.bytes();
    else if (field === 2) scope.version = reader.bytes();
    else if (field === 3) readKeyValue(reader, scope.attributes);
    else if (field === 4) scope.droppedAttributesCount = reader.uint32();
    else reader.skip();
  }
  return scope;
}

export const emptyResource: ResourceInfo = { serviceName: '', attributes: [], schemaUrl: '' };
export const emptyScope: ScopeInfo = { name: '', version: '', attributes: [], droppedAttributesCount: 0, schemaUrl: '' };

/**
 * Walks a Resource{Spans,Logs,Metrics} message: resource (1), scope blocks (2), schema_url (3).
 * The schema URL may follow the blocks on the wire, so blocks are collected first.
 */
export function readResourceBlock(
  reader: ProtoReader,
  onScopeBlock: (resource: ResourceInfo, scopeBlock: ProtoReader) => void,
): void {
  let resourceReader: ProtoReader | undefined;
  let schemaUrl: Text = '';
  const scopeBlocks: ProtoReader[] = [];
  while (!reader.done) {
    const field = reader.tag();
    if (field === 1) resourceReader = reader.message();
    else if (field === 2) scopeBlocks.push(reader.message());
    else if (field === 3) schemaUrl = reader.bytes();
    else reader.skip();
  }
  const resource = resourceReader ? readResource(resourceReader, schemaUrl) : { ...emptyResource, schemaUrl };
  for (const block of scopeBlocks) onScopeBlock(resource, block);
}

/**
 * Walks a Scope{Spans,Logs,Metrics} message: scope (1), items (2), schema_url (3).
 */
export function readScopeBlock(reader: ProtoReader, onItem: (scope: ScopeInfo, item: ProtoReader) => void): void {
  let scopeReader: ProtoReader | undefined;
  let schemaUrl: Text = '';
  const items: ProtoReader[] = [];
  while (!reader.done) {
    const field = reader.tag();
    if (field === 1) scopeReader = reader.message();
    else if (field === 2) items.push(reader.message());
    else if (field === 3) schemaUrl = reader.bytes();
    else reader.skip();
  }
  const scope = scopeReader ? readScope(scopeReader, schemaUrl) : { ...emptyScope, schemaUrl };
  for (const item of items) onItem(scope, item);
}

/** Walks an Export*ServiceRequest: repeated resource blocks in field 1. */
export function readRequest(body: Buffer, onScopeItem: (resource: ResourceInfo, scope: ScopeInfo, item: ProtoReader) => void): void {
  const reader = new ProtoReader(body);
  while (!reader.done) {
    if (reader.tag() !== 1) {
      reader.skip();
      continue;
    }
    reader.expect(WireType.bytes, 'resource block');
    readResourceBlock(reader.message(), (resource, scopeBlock) =>
      readScopeBlock(scopeBlock, (scope, item) => onScopeItem(resource, scope, item)),
    );
  }
}

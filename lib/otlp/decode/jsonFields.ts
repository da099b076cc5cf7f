/**
 * Reading OTLP/JSON: lowerCamelCase keys (the proto names are accepted too), hex ids, 64-bit
 * integers as strings or numbers, enums as integers, unknown fields ignored. A value of the
 * wrong type throws an `OtlpDecodeError` naming its path.
 */
import { checkNestingDepth, renderJsonValue, type JsonValue } from './anyValue';
import { OtlpDecodeError } from './decodeError';
import type { Attributes, ResourceInfo, ScopeInfo, Text } from '../rows/rowTypes';

export type JsonObject = { [key: string]: unknown };

export function parseJsonBody(body: Buffer): JsonObject {
  return asObject(parseJsonValue(body), '$');
}

export function parseJsonValue(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new OtlpDecodeError(`invalid JSON: ${(error as Error).message}`);
  }
}

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

export function field(object: JsonObject, name: string): unknown {
  const value = object[name];
  return value === undefined ? object[snakeCase(name)] : value;
}

export function asObject(value: unknown, path: string): JsonObject {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw wrongType(path, 'an object', value);
  return value as JsonObject;
}

export function asArray(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw wrongType(path, 'an array', value);
  return value;
}

export function asString(value: unknown, path: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw wrongType(path, 'a string', value);
  return value;
}

/** A uint64 nanosecond time: a decimal string or a number. */
export function asNanos(value: unknown, path: string): bigint {
  if (value === undefined || value === null || value === '') return 0n;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
  throw wrongType(path, 'an unsigned integer (number or decimal string)', value);
}

export function asInteger(value: unknown, path: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  throw wrongType(path, 'an integer', value);
}

export function asNumber(value: unknown, path: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return Number(value);
  throw wrongType(path, 'a number', value);
}

function wrongType(path: string, expected: string, value: unknown): OtlpDecodeError {
  const got = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
  return new OtlpDecodeError(`${path}: expected ${expected}, got ${got}`);
}

export function readAttributes(value: unknown, path: string, into: Attributes = []): Attributes {
  asArray(value, path).forEach((entry, i) => {
    const kv = asObject(entry, `${path}[${i}]`);
    into.push(asString(field(kv, 'key'), `${path}[${i}].key`), renderJsonValue(readAnyValue(field(kv, 'value'), `${path}[${i}].value`)));
  });
  return into;
}

/** `depth` counts the arrays and key-value lists around the value (`checkNestingDepth`). */
export function readAnyValue(value: unknown, path: string, depth = 0): JsonValue {
  const any = asObject(value, path);
  if ('stringValue' in any || 'string_value' in any) return asString(field(any, 'stringValue'), `${path}.stringValue`);
  if ('boolValue' in any || 'bool_value' in any) {
    const flag = field(any, 'boolValue');
    if (typeof flag !== 'boolean') throw wrongType(`${path}.boolValue`, 'a boolean', flag);
    return flag;
  }
  if ('intValue' in any || 'int_value' in any) {
    const int = field(any, 'intValue');
    if (typeof int === 'number' && Number.isInteger(int)) return int;
    if (typeof int === 'string' && /^-?\d+$/.test(int)) {
      const big = BigInt(int);
      return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
    }
    throw wrongType(`${path}.intValue`, 'an integer', int);
  }
  if ('doubleValue' in any || 'double_value' in any) return asNumber(field(any, 'doubleValue'), `${path}.doubleValue`);
  if ('bytesValue' in any || 'bytes_value' in any) return asString(field(any, 'bytesValue'), `${path}.bytesValue`);
  if ('arrayValue' in any || 'array_value' in any) {
    checkNestingDepth(depth + 1, `${path}.arrayValue`);
    const values = asArray(field(asObject(field(any, 'arrayValue'), path), 'values'), `${path}.arrayValue.values`);
    return values.map((item, i) => readAnyValue(item, `${path}.arrayValue.values[${i}]`, depth + 1));
  }
  if ('kvlistValue' in any || 'kvlist_value' in any) {
    checkNestingDepth(depth + 1, `${path}.kvlistValue`);
    const entries = asArray(field(asObject(field(any, 'kvlistValue'), path), 'values'), `${path}.kvlistValue.values`);
    const result: { [key: string]: JsonValue } = {};
    entries.forEach((entry, i) => {
      const kv = asObject(entry, `${path}.kvlistValue.values[${i}]`);
      result[asString(field(kv, 'key'), `${path}.kvlistValue.values[${i}].key`)] = readAnyValue(field(kv, 'value'), `${path}.kvlistValue.values[${i}].value`, depth + 1);
    });
    return result;
  }
  return null;
}

function readResource(value: unknown, path: string, schemaUrl: Text): ResourceInfo {
  const attributes = readAttributes(field(asObject(value, path), 'attributes'), `${path}.attributes`);
  let serviceName: Text = '';
  for (let i = 0; i < attributes.length; i += 2) if (attributes[i] === 'service.name') serviceName = attributes[i + 1]!;
  return { serviceName, attributes, schemaUrl };
}

function readScope(value: unknown, path: string, schemaUrl: Text): ScopeInfo {
  const scope = asObject(value, path);
  return {
    name: asString(field(scope, 'name'), `${path}.name`),
    version: asString(field(scope, 'version'), `${path}.version`),
    attributes: readAttributes(field(scope, 'attributes'), `${path}.attributes`),
    droppedAttributesCount: asInteger(field(scope, 'droppedAttributesCount'), `${path}.droppedAttributesCount`),
    schemaUrl,
  };
}

/**
 * Walks resource blocks → scope blocks → items, e.g. `resourceSpans` → `scopeSpans` → `spans`.
 */
export function walkJsonRequest(
  request: JsonObject,
  names: { resources: string; scopes: string; items: string },
  onItem: (resource: ResourceInfo, scope: ScopeInfo, item: JsonObject, path: string) => void,
): void {
  asArray(field(request, names.resources), names.resources).forEach((resourceBlock, r) => {
    const rPath = `${names.resources}[${r}]`;
    const block = asObject(resourceBlock, rPath);
    const resource = readResource(field(block, 'resource'), `${rPath}.resource`, asString(field(block, 'schemaUrl'), `${rPath}.schemaUrl`));
    asArray(field(block, names.scopes), `${rPath}.${names.scopes}`).forEach((scopeBlock, s) => {
      const sPath = `${rPath}.${names.scopes}[${s}]`;
      const scoped = asObject(scopeBlock, sPath);
      const scope = readScope(field(scoped, 'scope'), `${sPath}.scope`, asString(field(scoped, 'schemaUrl'), `${sPath}.schemaUrl`));
      asArray(field(scoped, names.items), `${sPath}.${names.items}`).forEach((item, i) => {
        const iPath = `${sPath}.${names.items}[${i}]`;
        onItem(resource, scope, asObject(item, iPath), iPath);
      });
    });
  });
}

/** An OTLP enum in JSON: an integer, or (leniently) its proto name. */
export function asEnum(value: unknown, path: string, names: readonly string[]): number {
  if (typeof value === 'string' && !/^-?\d+$/.test(value)) {
    const index = names.indexOf(value);
    if (index < 0) throw wrongType(path, `an enum value (${names.join(', ')})`, value);
    return index;
  }
  return asInteger(value, path);
}

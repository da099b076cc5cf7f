/**
 * Renders OTLP `AnyValue`s the way the contrib ClickHouse exporter stores them in its
 * `Map(…, String)` columns: strings as they are, booleans and numbers in their plain text form,
 * bytes as base64, and arrays and key-value lists as JSON.
 */

import { OtlpDecodeError } from './decodeError';

/**
 * How deeply arrays and key-value lists may nest in one value: protobuf's own default recursion
 * limit. The decoders recurse per level, so without a bound a small body of nested lists would
 * exhaust the stack.
 */
export const maxNestingDepth = 100;

/** Throws the decode error (400) for a value nested deeper than `maxNestingDepth`. */
export function checkNestingDepth(depth: number, path: string): void {
  if (depth > maxNestingDepth) throw new OtlpDecodeError(`${path}: values nested deeper than ${maxNestingDepth} levels`);
}

/** Whether arrays and objects nest deeper than `maxNestingDepth` in a parsed JSON value; looks no deeper than that. */
export function nestsTooDeep(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (depth + 1 > maxNestingDepth) return true;
  return Object.values(value).some((item) => nestsTooDeep(item, depth + 1));
}

/** A decoded AnyValue; int64s stay bigints so that no digit is lost. */
export type JsonValue = string | number | bigint | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Go's strconv.FormatFloat(x, 'f', -1, 64): the shortest exact digits, never an exponent. */
export function formatDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  const text = String(value);
  const exponentAt = text.indexOf('e');
  if (exponentAt < 0) return text;
  const negative = text.startsWith('-');
  const mantissa = text.slice(negative ? 1 : 0, exponentAt);
  const exponent = Number(text.slice(exponentAt + 1));
  const [whole = '', fraction = ''] = mantissa.split('.');
  const digits = whole + fraction;
  const pointAt = whole.length + exponent;
  const expanded =
    pointAt <= 0
      ? `0.${'0'.repeat(-pointAt)}${digits}`
      : pointAt >= digits.length
        ? digits + '0'.repeat(pointAt - digits.length)
        : `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  return (negative ? '-' : '') + expanded;
}

/** The text stored for a decoded value (scalars as text, structures as JSON). */
export function renderJsonValue(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatDouble(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null) return '';
  return toJson(value);
}

function toJson(value: JsonValue): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : JSON.stringify(formatDouble(value));
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}:${toJson(item)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

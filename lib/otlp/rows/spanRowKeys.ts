/**
 * Reads encoded `otel_traces` rows back far enough to know each row's bounds, start time and ids,
 * so rows can be dropped from a chunk without decoding the request again. Rows are skipped column by
 * column by the types of `writtenTables.traces` (lib/clickhouse/tables.ts), whichever encoder wrote
 * them; only the first three columns (Timestamp, TraceId, SpanId) are read.
 */
import { writtenTables, type Column } from '../../clickhouse/tables';
import type { TableChunk } from './tableChunk';

/** A row of a chunk: `rows.subarray(start, end)`, its Timestamp in Unix nanoseconds and its hex ids. */
export type SpanRowKey = { start: number; end: number; timestamp: bigint; traceId: string; spanId: string };

/** Returns the position after the value at `pos`. */
type Skip = (buf: Buffer, pos: number) => number;

function readVarint(buf: Buffer, pos: number): [value: number, next: number] {
  let value = 0;
  let shift = 1;
  for (;;) {
    const byte = buf[pos++];
    if (byte === undefined) throw new RangeError('RowBinary: a row runs past the end of its chunk');
    value += (byte & 0x7f) * shift;
    if (byte < 0x80) return [value, pos];
    shift *= 128;
  }
}

const fixedWidths: Record<string, number> = { UInt8: 1, Bool: 1, UInt32: 4, Int32: 4, UInt64: 8, Float64: 8 };

function skipperFor(type: string): Skip {
  const inner = /^(\w+)\((.*)\)$/.exec(type);
  if (type === 'String') {
    return (buf, pos) => {
      const [length, next] = readVarint(buf, pos);
      return next + length;
    };
  }
  const width = fixedWidths[type] ?? (inner?.[1] === 'DateTime64' ? 8 : undefined);
  if (width !== undefined) return (_buf, pos) => pos + width;
  if (inner?.[1] === 'LowCardinality') return skipperFor(inner[2]!);
  if (inner?.[1] === 'Array' || inner?.[1] === 'Map') {
    const items = inner[1] === 'Array' ? [skipperFor(inner[2]!)] : splitTopLevel(inner[2]!).map(skipperFor);
    return (buf, pos) => {
      let [count, next] = readVarint(buf, pos);
      while (count-- > 0) for (const item of items) next = item(buf, next);
      return next;
    };
  }
  throw new Error(`spanRowKeys: no RowBinary reader for ${type}`);
}

/** `LowCardinality(String), String` → its two types. */
function splitTopLevel(types: string): string[] {
  let depth = 0;
  for (let i = 0; i < types.length; i++) {
    if (types[i] === '(') depth++;
    else if (types[i] === ')') depth--;
    else if (types[i] === ',' && depth === 0) return [types.slice(0, i).trim(), types.slice(i + 1).trim()];
  }
  return [types.trim()];
}

const keyColumns: readonly Column[] = [
  ['Timestamp', 'DateTime64(9)'],
  ['TraceId', 'String'],
  ['SpanId', 'String'],
];
const columns = writtenTables.traces.columns;
if (keyColumns.some(([name, type], i) => columns[i]?.[0] !== name || columns[i]?.[1] !== type)) {
  throw new Error('spanRowKeys: otel_traces no longer starts with Timestamp, TraceId, SpanId');
}
const skipRest = columns.slice(keyColumns.length).map(([, type]) => skipperFor(type));

function readString(buf: Buffer, pos: number): [text: string, next: number] {
  const [length, start] = readVarint(buf, pos);
  return [buf.toString('latin1', start, start + length), start + length];
}

/** Every row of a traces chunk in order; throws on a chunk that doesn't hold whole rows. */
export function spanRowKeys(chunk: TableChunk): SpanRowKey[] {
  const buf = chunk.rows;
  const keys: SpanRowKey[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const start = pos;
    const timestamp = buf.readBigInt64LE(pos);
    const [traceId, afterTrace] = readString(buf, pos + 8);
    const [spanId, afterSpan] = readString(buf, afterTrace);
    pos = afterSpan;
    for (const skip of skipRest) pos = skip(buf, pos);
    if (pos > buf.length) throw new RangeError('RowBinary: a row runs past the end of its chunk');
    keys.push({ start, end: pos, timestamp, traceId, spanId });
  }
  if (keys.length !== chunk.count) throw new Error(`spanRowKeys: read ${keys.length} rows of a chunk of ${chunk.count}`);
  return keys;
}

/** A chunk of the same table holding only `kept` (rows of `chunk`, in order). */
export function keepRows(chunk: TableChunk, kept: readonly SpanRowKey[]): TableChunk {
  return { table: chunk.table, rows: Buffer.concat(kept.map((row) => chunk.rows.subarray(row.start, row.end))), count: kept.length };
}

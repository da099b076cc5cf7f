/**
 * Newline-delimited JSON log lines, as pino and most JSON loggers write them → log rows.
 *
 * Mapping (documented in docs/json-logs.md):
 * - `time` (epoch milliseconds, or an ISO-8601 string; also `timestamp`, `@timestamp`) → Timestamp
 *   (the receive time when absent)
 * - `level` (pino numbers 10…60, or names like "info", "WARN") → SeverityText / SeverityNumber
 * - `msg` (or `message`) → Body
 * - `trace_id` / `span_id` (or `traceId` / `spanId`) → TraceId / SpanId; `trace_flags` → TraceFlags
 * - `service_name` (or `service`, or pino's `name`) → ServiceName and resource `service.name`
 * - `hostname`, `pid` → resource `host.name`, `process.pid`
 * - every other field → LogAttributes; nested objects flattened with dots, arrays as JSON; a line
 *   nesting objects and arrays deeper than `maxNestingDepth` is refused
 */
import { maxNestingDepth, nestsTooDeep, renderJsonValue, type JsonValue } from './anyValue';
import { idFromHex, spanIdBytes, traceIdBytes } from './hexIds';
import type { Attributes, DecodedBatch, LogRow, ResourceInfo } from '../rows/rowTypes';
import { emptyScope } from './protoFields';

const pinoLevels: Record<number, [string, number]> = {
  10: ['TRACE', 1],
  20: ['DEBUG', 5],
  30: ['INFO', 9],
  40: ['WARN', 13],
  50: ['ERROR', 17],
  60: ['FATAL', 21],
};
const levelNames: Record<string, [string, number]> = {
  trace: ['TRACE', 1],
  debug: ['DEBUG', 5],
  info: ['INFO', 9],
  notice: ['INFO', 10],
  warn: ['WARN', 13],
  warning: ['WARN', 13],
  error: ['ERROR', 17],
  err: ['ERROR', 17],
  fatal: ['FATAL', 21],
  critical: ['FATAL', 21],
};

const consumedKeys = new Set([
  'time', 'timestamp', '@timestamp', 'level', 'msg', 'message', 'trace_id', 'traceId', 'span_id', 'spanId',
  'trace_flags', 'service_name', 'service', 'name', 'hostname', 'pid', 'v',
]);

export function decodeJsonLines(body: Buffer, receivedAt: bigint): DecodedBatch<LogRow> {
  const rows: LogRow[] = [];
  const resources = new Map<string, ResourceInfo>();
  let rejected = 0;
  let rejectReason: string | undefined;
  const reject = (lineNumber: number, why: string) => {
    rejected++;
    rejectReason ??= `line ${lineNumber}: ${why}`;
  };
  body
    .toString('utf8')
    .split('\n')
    .forEach((line, index) => {
      if (line.trim() === '') return;
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        return reject(index + 1, 'not valid JSON');
      }
      if (typeof record !== 'object' || record === null || Array.isArray(record)) return reject(index + 1, 'not a JSON object');
      if (nestsTooDeep(record)) return reject(index + 1, `objects and arrays nested deeper than ${maxNestingDepth} levels`);
      const row = toRow(record as Record<string, unknown>, receivedAt, resources);
      if (typeof row === 'string') return reject(index + 1, row);
      rows.push(row);
    });
  return { rows, rejected, rejectReason };
}

function toRow(record: Record<string, unknown>, receivedAt: bigint, resources: Map<string, ResourceInfo>): LogRow | string {
  const timestamp = parseTime(record.time ?? record.timestamp ?? record['@timestamp'], receivedAt);
  if (timestamp === undefined) return '`time` must be epoch milliseconds or an ISO-8601 date';
  const traceId = idFromHex(record.trace_id ?? record.traceId, traceIdBytes);
  const spanId = idFromHex(record.span_id ?? record.spanId, spanIdBytes);
  if (traceId === undefined || spanId === undefined) return '`trace_id` must be 32 hex digits and `span_id` 16';
  const [severityText, severityNumber] = parseLevel(record.level);
  const message = record.msg ?? record.message;
  const attributes: Attributes = [];
  for (const [key, value] of Object.entries(record)) {
    if (!consumedKeys.has(key)) flatten(key, value as JsonValue, attributes);
  }
  return {
    resource: resourceFor(record, resources),
    scope: emptyScope,
    timestamp,
    traceId,
    spanId,
    traceFlags: typeof record.trace_flags === 'number' ? record.trace_flags & 0xff : 0,
    severityText,
    severityNumber,
    body: message === undefined ? '' : renderJsonValue(message as JsonValue),
    attributes,
    eventName: '',
  };
}

function resourceFor(record: Record<string, unknown>, cache: Map<string, ResourceInfo>): ResourceInfo {
  const service = String(record.service_name ?? record.service ?? record.name ?? '');
  const host = record.hostname === undefined ? '' : String(record.hostname);
  const pid = record.pid === undefined ? '' : String(record.pid);
  const key = `${service}\u0000${host}\u0000${pid}`;
  let resource = cache.get(key);
  if (!resource) {
    const attributes: Attributes = [];
    if (service) attributes.push('service.name', service);
    if (host) attributes.push('host.name', host);
    if (pid) attributes.push('process.pid', pid);
    resource = { serviceName: service, attributes, schemaUrl: '' };
    cache.set(key, resource);
  }
  return resource;
}

function parseTime(value: unknown, fallback: bigint): bigint | undefined {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'number' && Number.isFinite(value)) {
    const whole = Math.trunc(value);
    return BigInt(whole) * 1_000_000n + BigInt(Math.round((value - whole) * 1_000_000));
  }
  if (typeof value === 'string') {
    const millis = Date.parse(value);
    if (Number.isNaN(millis)) return undefined;
    const fraction = /\.(\d+)/.exec(value)?.[1] ?? '';
    const subMillis = fraction.length > 3 ? BigInt(fraction.slice(3, 9).padEnd(6, '0')) : 0n;
    return BigInt(millis) * 1_000_000n + subMillis;
  }
  return undefined;
}

function parseLevel(value: unknown): [string, number] {
  if (typeof value === 'number') return pinoLevels[value] ?? ['', 0];
  if (typeof value === 'string') return levelNames[value.toLowerCase()] ?? [value.toUpperCase(), 0];
  return ['', 0];
}

function flatten(key: string, value: JsonValue, into: Attributes): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [inner, innerValue] of Object.entries(value)) flatten(`${key}.${inner}`, innerValue, into);
    return;
  }
  into.push(key, renderJsonValue(value));
}

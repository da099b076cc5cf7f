/**
 * Reading Zipkin v2 JSON, the body of `POST /api/v2/spans`: a list of spans. Ids are lower-hex
 * (64-bit trace ids left-padded to 128 bits), times are microseconds. A missing or malformed
 * field throws an `OtlpDecodeError` naming the span and the field, and refuses the whole request,
 * as the Zipkin server and the contrib Zipkin receiver do.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { OtlpDecodeError } from '../otlp/decode/decodeError';
import { isAllZero } from '../otlp/decode/hexIds';
import { asArray, asObject, asString, parseJsonValue, type JsonObject } from '../otlp/decode/jsonFields';

export type ZipkinEndpoint = { serviceName: string; ipv4: string; ipv6: string; port: number };

export type ZipkinAnnotation = { timestampMicros: bigint; value: string };

export type ZipkinSpan = {
  /** 32 lower-hex digits. */
  traceId: string;
  /** 16 lower-hex digits. */
  id: string;
  /** 16 lower-hex digits, or '' for a root span. */
  parentId: string;
  name: string;
  /** As sent: CLIENT, SERVER, PRODUCER, CONSUMER or ''. */
  kind: string;
  /** Undefined when the span has no timestamp. */
  timestampMicros?: bigint;
  durationMicros: bigint;
  localEndpoint?: ZipkinEndpoint;
  remoteEndpoint?: ZipkinEndpoint;
  annotations: ZipkinAnnotation[];
  tags: Map<string, string>;
};

export function readZipkinJson(body: Buffer): ZipkinSpan[] {
  const spans = parseJsonValue(body);
  if (!Array.isArray(spans)) throw new OtlpDecodeError('$: expected a JSON array of Zipkin v2 spans');
  return spans.map((value, i) => readSpan(asObject(value, `[${i}]`), `[${i}]`));
}

function readSpan(span: JsonObject, path: string): ZipkinSpan {
  const traceId = readHexId(span.traceId, `${path}.traceId`, 32);
  const id = readHexId(span.id, `${path}.id`, 16);
  const parentId = span.parentId === undefined || span.parentId === null || span.parentId === '' ? '' : readHexId(span.parentId, `${path}.parentId`, 16);
  const timestampMicros = span.timestamp === undefined || span.timestamp === null ? undefined : readMicros(span.timestamp, `${path}.timestamp`);
  return {
    traceId,
    id,
    parentId,
    name: asString(span.name, `${path}.name`),
    kind: asString(span.kind, `${path}.kind`),
    timestampMicros,
    durationMicros: span.duration === undefined || span.duration === null ? 0n : readMicros(span.duration, `${path}.duration`),
    localEndpoint: readEndpoint(span.localEndpoint, `${path}.localEndpoint`),
    remoteEndpoint: readEndpoint(span.remoteEndpoint, `${path}.remoteEndpoint`),
    annotations: asArray(span.annotations, `${path}.annotations`).map((value, i) => {
      const annotation = asObject(value, `${path}.annotations[${i}]`);
      return {
        timestampMicros: readMicros(annotation.timestamp, `${path}.annotations[${i}].timestamp`),
        value: asString(annotation.value, `${path}.annotations[${i}].value`),
      };
    }),
    tags: readTags(span.tags, `${path}.tags`),
  };
}

/** 1 to `digits` hex digits, not all zero, left-padded to `digits` (lower case). */
function readHexId(value: unknown, path: string, digits: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > digits || !/^[0-9a-fA-F]+$/.test(value) || isAllZero(value)) {
    throw new OtlpDecodeError(`${path}: expected 1 to ${digits} hex digits, not all zero, got ${JSON.stringify(value) ?? 'nothing'}`);
  }
  return value.toLowerCase().padStart(digits, '0');
}

function readMicros(value: unknown, path: string): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  throw new OtlpDecodeError(`${path}: expected microseconds as a non-negative integer, got ${JSON.stringify(value) ?? 'nothing'}`);
}

function readEndpoint(value: unknown, path: string): ZipkinEndpoint | undefined {
  if (value === undefined || value === null) return undefined;
  const endpoint = asObject(value, path);
  const ipv4 = asString(endpoint.ipv4, `${path}.ipv4`);
  const ipv6 = asString(endpoint.ipv6, `${path}.ipv6`).toLowerCase();
  if (ipv4 !== '' && !isIPv4(ipv4)) throw new OtlpDecodeError(`${path}.ipv4: expected an IPv4 address, got ${JSON.stringify(ipv4)}`);
  if (ipv6 !== '' && !isIPv6(ipv6)) throw new OtlpDecodeError(`${path}.ipv6: expected an IPv6 address, got ${JSON.stringify(ipv6)}`);
  const port = endpoint.port ?? 0;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new OtlpDecodeError(`${path}.port: expected a port number (0 to 65535), got ${JSON.stringify(port)}`);
  }
  return { serviceName: asString(endpoint.serviceName, `${path}.serviceName`), ipv4, ipv6, port };
}

function readTags(value: unknown, path: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const [key, tag] of Object.entries(asObject(value, path))) tags.set(key, asString(tag, `${path}[${JSON.stringify(key)}]`));
  return tags;
}

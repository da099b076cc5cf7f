/**
 * Zipkin v2 spans → span rows for `otel_traces`, mapped as the OpenTelemetry Collector contrib
 * Zipkin receiver maps them (its zipkinv2 translator, default feature gates), so that a Zipkin span
 * is stored as the contrib collector would store it. The rules, field by field, are in docs/zipkin.md.
 */
import { formatDouble } from '../otlp/decode/anyValue';
import type { Attributes, ResourceInfo, ScopeInfo, SpanEventRow, SpanRow } from '../otlp/rows/rowTypes';
import type { ZipkinAnnotation, ZipkinSpan } from './readZipkinJson';

const kinds: Record<string, string> = { CLIENT: 'Client', SERVER: 'Server', PRODUCER: 'Producer', CONSUMER: 'Consumer' };
const statusCodes: Record<string, string> = { STATUS_CODE_UNSET: 'Unset', STATUS_CODE_OK: 'Ok', STATUS_CODE_ERROR: 'Error' };
/** Tags the translator reads into the scope or the resource, never into span attributes. */
const nonSpanTags = ['otel.library.name', 'otel.library.version', 'otlp.service.name.source'];

export function zipkinSpanRows(spans: readonly ZipkinSpan[]): SpanRow[] {
  const resources = new Map<string, ResourceInfo>();
  return spans.map((span) => {
    const serviceName = span.localEndpoint?.serviceName ?? '';
    let resource = resources.get(serviceName);
    if (!resource) {
      resource = { serviceName, attributes: serviceName ? ['service.name', serviceName] : [], schemaUrl: '' };
      resources.set(serviceName, resource);
    }
    return toRow(span, resource);
  });
}

function toRow(span: ZipkinSpan, resource: ResourceInfo): SpanRow {
  // The rules below consume the tags they read; what is left becomes span attributes.
  const tags = new Map(span.tags);
  const take = (key: string): string | undefined => {
    const value = tags.get(key);
    tags.delete(key);
    return value;
  };
  const scopeName = tags.get('otel.library.name') ?? '';
  const scope: ScopeInfo = { name: scopeName, version: scopeName ? (tags.get('otel.library.version') ?? '') : '', attributes: [], droppedAttributesCount: 0, schemaUrl: '' };
  const traceState = take('w3c.tracestate') ?? '';
  const kind = kinds[span.kind] ?? (take('span.kind') === 'internal' ? 'Internal' : 'Unspecified');
  let statusCode = 'Unset';
  let statusMessage = '';
  const otelStatus = take('otel.status_code');
  if (otelStatus !== undefined) {
    statusCode = statusCodes[otelStatus] ?? 'Unset';
    statusMessage = take('otel.status_description') ?? '';
  }
  const error = tags.get('error');
  if (error !== undefined) {
    statusCode = 'Error';
    // Any other value is the error's description: it stays, as the `error` attribute.
    if (error === 'true') tags.delete('error');
  }
  for (const key of nonSpanTags) tags.delete(key);
  const attributes = endpointAttributes(span, kind, tags);
  // A span without a timestamp starts at the epoch, flagged, as the translator stores it.
  if (span.timestampMicros === undefined) attributes.set('otel.zipkin.absentField.startTime', 'true');
  return {
    resource,
    scope,
    timestamp: (span.timestampMicros ?? 0n) * 1000n,
    traceId: span.traceId,
    spanId: span.id,
    // A shared span's parent is the client span of the same id; a span is never its own parent.
    parentSpanId: span.parentId === span.id ? '' : span.parentId,
    traceState,
    name: span.name,
    kind,
    attributes: flatten(attributes),
    duration: span.durationMicros * 1000n,
    statusCode,
    statusMessage,
    events: span.annotations.map(toEvent),
    links: [],
  };
}

/**
 * Tags, then the endpoints as the translator names them (semantic conventions 1.12), plus
 * `server.address`/`server.port` on client spans: the service map's peer keys (lib/queries/peerAttributes.ts).
 */
function endpointAttributes(span: ZipkinSpan, kind: string, tags: Map<string, string>): Map<string, string> {
  const attributes = new Map(tags);
  const local = span.localEndpoint;
  if (local) {
    if (local.ipv4) attributes.set('net.host.ip', local.ipv4);
    if (local.ipv6) attributes.set('net.host.ip', local.ipv6);
    if (local.port > 0) attributes.set('net.host.port', String(local.port));
  }
  const remote = span.remoteEndpoint;
  if (remote) {
    if (remote.serviceName) attributes.set('peer.service', remote.serviceName);
    const address = remote.ipv6 || remote.ipv4;
    if (address) attributes.set('net.peer.ip', address);
    if (remote.port > 0) attributes.set('net.peer.port', String(remote.port));
    if (kind === 'Client') {
      if (address) attributes.set('server.address', address);
      if (remote.port > 0) attributes.set('server.port', String(remote.port));
    }
  }
  return attributes;
}

/**
 * An annotation is an event at its time. OpenTelemetry's Zipkin exporter writes an event with
 * attributes as `name|{"key":value,…}|droppedCount`; such a value is split back into name and
 * attributes. Any other value (pipes included) is the event's name as it is.
 */
function toEvent(annotation: ZipkinAnnotation): SpanEventRow {
  const time = annotation.timestampMicros * 1000n;
  const parts = annotation.value.split('|');
  const encoded = parts.length >= 3 && /^\d+$/.test(parts.at(-1)!) ? parseObject(parts.slice(1, -1).join('|')) : undefined;
  if (!encoded) return { time, name: annotation.value, attributes: [] };
  const attributes: Attributes = [];
  for (const [key, value] of Object.entries(encoded)) {
    if (typeof value === 'string') attributes.push(key, value);
    else if (typeof value === 'number') attributes.push(key, formatDouble(value));
    else if (typeof value === 'boolean') attributes.push(key, String(value));
  }
  return { time, name: parts[0]!, attributes };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function flatten(attributes: Map<string, string>): Attributes {
  const flat: Attributes = [];
  for (const [key, value] of attributes) flat.push(key, value);
  return flat;
}

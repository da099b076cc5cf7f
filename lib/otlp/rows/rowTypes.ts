/**
 * Insert-ready rows, one type per table. Strings decoded from protobuf stay `Buffer` views of
 * their UTF-8 bytes so the RowBinary encoder copies them without a decode/encode round trip.
 */

export type Text = string | Buffer;
/** Attributes as a flat list: key, value, key, value… (values rendered as the contrib exporter does). */
export type Attributes = Text[];

export type ResourceInfo = {
  serviceName: Text;
  attributes: Attributes;
  schemaUrl: Text;
};

export type ScopeInfo = {
  name: Text;
  version: Text;
  attributes: Attributes;
  droppedAttributesCount: number;
  schemaUrl: Text;
};

export type SpanEventRow = { time: bigint; name: Text; attributes: Attributes };
export type SpanLinkRow = { traceId: string; spanId: string; traceState: Text; attributes: Attributes };

export type SpanRow = {
  resource: ResourceInfo;
  scope: ScopeInfo;
  timestamp: bigint;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState: Text;
  name: Text;
  kind: string;
  attributes: Attributes;
  duration: bigint;
  statusCode: string;
  statusMessage: Text;
  events: SpanEventRow[];
  links: SpanLinkRow[];
};

export type LogRow = {
  resource: ResourceInfo;
  scope: ScopeInfo;
  timestamp: bigint;
  traceId: string;
  spanId: string;
  traceFlags: number;
  severityText: Text;
  severityNumber: number;
  body: Text;
  attributes: Attributes;
  eventName: Text;
};

/** What one OTLP request decodes to: rows per table and the items refused as invalid. */
export type DecodedBatch<Row> = { rows: Row[]; rejected: number; rejectReason?: string };

export const spanKindNames = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'] as const;
export const statusCodeNames = ['Unset', 'Ok', 'Error'] as const;

export function spanKindName(kind: number): string {
  return spanKindNames[kind] ?? 'Unspecified';
}

export function statusCodeName(code: number): string {
  return statusCodeNames[code] ?? 'Unset';
}

export const emptyText: Text = '';

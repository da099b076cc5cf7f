/** Span rows → RowBinary for `otel_traces`, in the column order of `writtenTables.traces` (lib/clickhouse/tables.ts). */
import { RowBinaryWriter } from './rowBinaryWriter';
import type { SpanRow } from './rowTypes';

export function encodeSpanRows(rows: readonly SpanRow[], out = new RowBinaryWriter()): RowBinaryWriter {
  for (const row of rows) {
    out.dateTime64(row.timestamp);
    out.string(row.traceId);
    out.string(row.spanId);
    out.string(row.parentSpanId);
    out.string(row.traceState);
    out.string(row.name);
    out.string(row.kind);
    out.string(row.resource.serviceName);
    out.map(row.resource.attributes);
    out.string(row.scope.name);
    out.string(row.scope.version);
    out.map(row.attributes);
    out.uint64(row.duration);
    out.string(row.statusCode);
    out.string(row.statusMessage);
    out.array(row.events, (event) => out.dateTime64(event.time));
    out.array(row.events, (event) => out.string(event.name));
    out.array(row.events, (event) => out.map(event.attributes));
    out.array(row.links, (link) => out.string(link.traceId));
    out.array(row.links, (link) => out.string(link.spanId));
    out.array(row.links, (link) => out.string(link.traceState));
    out.array(row.links, (link) => out.map(link.attributes));
  }
  return out;
}

/** Log rows → RowBinary for `otel_logs`, in the column order of `writtenTables.logs` (lib/clickhouse/tables.ts). */
import { RowBinaryWriter } from './rowBinaryWriter';
import type { LogRow } from './rowTypes';

export function encodeLogRows(rows: readonly LogRow[], out = new RowBinaryWriter()): RowBinaryWriter {
  for (const row of rows) {
    out.dateTime64(row.timestamp);
    out.string(row.traceId);
    out.string(row.spanId);
    out.uint8(row.traceFlags);
    out.string(row.severityText);
    out.uint8(row.severityNumber);
    out.string(row.resource.serviceName);
    out.string(row.body);
    out.string(row.resource.schemaUrl);
    out.map(row.resource.attributes);
    out.string(row.scope.schemaUrl);
    out.string(row.scope.name);
    out.string(row.scope.version);
    out.map(row.scope.attributes);
    out.map(row.attributes);
    out.string(row.eventName);
  }
  return out;
}

/** OTLP traces → RowBinary rows for `otel_traces` (the trace-id view fills itself). */
import { decodeTracesJson } from '../../../lib/otlp/decodeTracesJson';
import { decodeTracesProto } from '../../../lib/otlp/decodeTracesProto';
import { encodeTraces, traceColumns } from '../../../lib/otlp/encodeTraces';
import type { SignalExporter } from './signalChunks';

export const tracesTable = 'otel_traces';

export const exportTraces: SignalExporter = (body, encoding) => {
  const decoded = encoding === 'protobuf' ? decodeTracesProto(body) : decodeTracesJson(body);
  const rows = encodeTraces(decoded.rows).finish();
  return {
    chunks: [{ table: tracesTable, columns: traceColumns, rows, count: decoded.rows.length }],
    accepted: decoded.rows.length,
    rejected: decoded.rejected,
    rejectReason: decoded.rejectReason,
  };
};

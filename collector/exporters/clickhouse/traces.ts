/** OTLP traces → RowBinary rows for `otel_traces` (the trace-id view fills itself). */
import { decodeTracesJson } from '../../../lib/otlp/decodeTracesJson';
import { decodeTracesProto, type EncodedRows } from '../../../lib/otlp/decodeTracesProto';
import { encodeTraces, traceColumns } from '../../../lib/otlp/encodeTraces';
import { RowBinaryWriter } from '../../../lib/otlp/rowBinary';
import type { SignalExporter } from './signalChunks';

export const tracesTable = 'otel_traces';

/** Protobuf goes straight to rows; JSON through span rows (it has to be parsed whole anyway). */
function encodeTracesJson(body: Buffer, out: RowBinaryWriter): EncodedRows {
  const decoded = decodeTracesJson(body);
  encodeTraces(decoded.rows, out);
  return { count: decoded.rows.length, rejected: decoded.rejected, rejectReason: decoded.rejectReason };
}

export const exportTraces: SignalExporter = (body, encoding) => {
  // Rows repeat the resource per span and ids double as hex: about twice the protobuf size.
  const out = new RowBinaryWriter(2 * body.length + 1024);
  const encoded = (encoding === 'protobuf' ? decodeTracesProto : encodeTracesJson)(body, out);
  return {
    chunks: [{ table: tracesTable, columns: traceColumns, rows: out.finish(), count: encoded.count }],
    accepted: encoded.count,
    rejected: encoded.rejected,
    rejectReason: encoded.rejectReason,
  };
};

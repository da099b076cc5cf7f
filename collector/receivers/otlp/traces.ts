/** An OTLP traces body → RowBinary rows for `otel_traces` (the trace-id view fills itself). */
import { decodeTracesJson } from '../../../lib/otlp/decode/decodeTracesJson';
import { decodeTracesProtoToRowBinary, type EncodedRows } from '../../../lib/otlp/decode/decodeTracesProtoToRowBinary';
import { keepInWindow, type Refused, type TimeWindow } from '../../../lib/otlp/decode/timeWindow';
import { writtenTables } from '../../../lib/clickhouse/tables';
import { encodeSpanRows } from '../../../lib/otlp/rows/encodeSpanRows';
import { RowBinaryWriter } from '../../../lib/otlp/rows/rowBinaryWriter';
import type { SignalDecoder } from './signalRows';

/** Protobuf goes straight to rows; JSON through span rows (it has to be parsed whole anyway). */
function encodeTracesJson(body: Buffer, out: RowBinaryWriter, window: TimeWindow): EncodedRows {
  const decoded = decodeTracesJson(body);
  const refused: Refused = { invalid: decoded.rejected, tooOld: 0, tooNew: 0, message: decoded.rejectReason };
  const rows = keepInWindow(decoded.rows, (row) => row.timestamp, window, refused);
  encodeSpanRows(rows, out);
  return { count: rows.length, refused };
}

export const tracesToRows: SignalDecoder = (body, encoding, window) => {
  // Rows repeat the resource per span and ids double as hex: about twice the protobuf size.
  const out = new RowBinaryWriter(2 * body.length + 1024);
  const encoded = (encoding === 'protobuf' ? decodeTracesProtoToRowBinary : encodeTracesJson)(body, out, window);
  return {
    chunks: [{ table: writtenTables.traces, rows: out.finish(), count: encoded.count }],
    accepted: encoded.count,
    refused: encoded.refused,
  };
};

/** An OTLP logs body, or JSON log lines → RowBinary rows for `otel_logs`. */
import { decodeJsonLines } from '../../../lib/otlp/decode/decodeJsonLines';
import { decodeLogsJson } from '../../../lib/otlp/decode/decodeLogsJson';
import { decodeLogsProto } from '../../../lib/otlp/decode/decodeLogsProto';
import { writtenTables } from '../../../lib/clickhouse/tables';
import { encodeLogRows } from '../../../lib/otlp/rows/encodeLogRows';
import type { SignalDecoder } from './signalRows';

const decoders = { protobuf: decodeLogsProto, json: decodeLogsJson, jsonLines: (body: Buffer) => decodeJsonLines(body) };

export const logsToRows: SignalDecoder = (body, encoding) => {
  const decoded = decoders[encoding](body);
  const rows = encodeLogRows(decoded.rows).finish();
  return {
    chunks: [{ table: writtenTables.logs, rows, count: decoded.rows.length }],
    accepted: decoded.rows.length,
    rejected: decoded.rejected,
    rejectReason: decoded.rejectReason,
  };
};

/** An OTLP logs body, or JSON log lines → RowBinary rows for `otel_logs`. */
import { decodeJsonLines } from '../../../lib/otlp/decode/decodeJsonLines';
import { decodeLogsJson } from '../../../lib/otlp/decode/decodeLogsJson';
import { decodeLogsProto } from '../../../lib/otlp/decode/decodeLogsProto';
import { keepInWindow, type Refused } from '../../../lib/otlp/decode/timeWindow';
import { writtenTables } from '../../../lib/clickhouse/tables';
import { encodeLogRows } from '../../../lib/otlp/rows/encodeLogRows';
import type { SignalDecoder } from './signalRows';

const otlpDecoders = { protobuf: decodeLogsProto, json: decodeLogsJson };

export const logsToRows: SignalDecoder = (body, encoding, window) => {
  // A JSON line without a time is stamped with the request's "now".
  const decoded = encoding === 'jsonLines' ? decodeJsonLines(body, window.now) : otlpDecoders[encoding](body);
  const refused: Refused = { invalid: decoded.rejected, tooOld: 0, tooNew: 0, message: decoded.rejectReason };
  const kept = keepInWindow(decoded.rows, (row) => row.timestamp, window, refused);
  return {
    chunks: [{ table: writtenTables.logs, rows: encodeLogRows(kept).finish(), count: kept.length }],
    accepted: kept.length,
    refused,
  };
};

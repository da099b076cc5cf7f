/** OTLP logs and JSON log lines → RowBinary rows for `otel_logs`. */
import { decodeJsonLines } from '../../../lib/otlp/decodeJsonLines';
import { decodeLogsJson } from '../../../lib/otlp/decodeLogsJson';
import { decodeLogsProto } from '../../../lib/otlp/decodeLogsProto';
import { encodeLogs, logColumns } from '../../../lib/otlp/encodeLogs';
import type { SignalExporter } from './signalChunks';

export const logsTable = 'otel_logs';

const decoders = { protobuf: decodeLogsProto, json: decodeLogsJson, jsonLines: (body: Buffer) => decodeJsonLines(body) };

export const exportLogs: SignalExporter = (body, encoding) => {
  const decoded = decoders[encoding](body);
  const rows = encodeLogs(decoded.rows).finish();
  return {
    chunks: [{ table: logsTable, columns: logColumns, rows, count: decoded.rows.length }],
    accepted: decoded.rows.length,
    rejected: decoded.rejected,
    rejectReason: decoded.rejectReason,
  };
};

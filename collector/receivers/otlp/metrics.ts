/** An OTLP metrics body → RowBinary rows for the five `otel_metrics_*` tables (one chunk per table used). */
import { decodeMetricsJson } from '../../../lib/otlp/decode/decodeMetricsJson';
import { decodeMetricsProto } from '../../../lib/otlp/decode/decodeMetricsProto';
import { encodeMetricRows } from '../../../lib/otlp/rows/encodeMetricRows';
import { collectorErrors } from '../../errors';
import type { SignalDecoder } from './signalRows';

export const metricsToRows: SignalDecoder = (body, encoding) => {
  if (encoding === 'jsonLines') throw collectorErrors.badRequest('metrics are not accepted as JSON lines');
  const decoded = encoding === 'protobuf' ? decodeMetricsProto(body) : decodeMetricsJson(body);
  const chunks = encodeMetricRows(decoded);
  return {
    chunks,
    accepted: chunks.reduce((sum, chunk) => sum + chunk.count, 0),
    rejected: decoded.rejected,
    rejectReason: decoded.rejectReason,
  };
};

/** OTLP metrics → RowBinary rows for the five `otel_metrics_*` tables (one chunk per table used). */
import { decodeMetricsJson } from '../../../lib/otlp/decodeMetricsJson';
import { decodeMetricsProto } from '../../../lib/otlp/decodeMetricsProto';
import { encodeMetricTables } from '../../../lib/otlp/encodeMetrics';
import { collectorErrors } from '../../errors';
import type { SignalExporter } from './signalChunks';

export const exportMetrics: SignalExporter = (body, encoding) => {
  if (encoding === 'jsonLines') throw collectorErrors.badRequest('metrics are not accepted as JSON lines');
  const decoded = encoding === 'protobuf' ? decodeMetricsProto(body) : decodeMetricsJson(body);
  const chunks = encodeMetricTables(decoded);
  return {
    chunks,
    accepted: chunks.reduce((sum, chunk) => sum + chunk.count, 0),
    rejected: decoded.rejected,
    rejectReason: decoded.rejectReason,
  };
};

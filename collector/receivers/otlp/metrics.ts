/** An OTLP metrics body → RowBinary rows for the five `otel_metrics_*` tables (one chunk per table used). */
import { decodeMetricsJson } from '../../../lib/otlp/decode/decodeMetricsJson';
import { decodeMetricsProto } from '../../../lib/otlp/decode/decodeMetricsProto';
import { keepInWindow, type Refused } from '../../../lib/otlp/decode/timeWindow';
import { encodeMetricRows } from '../../../lib/otlp/rows/encodeMetricRows';
import type { MetricPointBase } from '../../../lib/otlp/rows/metricRowTypes';
import { collectorErrors } from '../../errors';
import type { SignalDecoder } from './signalRows';

const pointTime = (point: MetricPointBase) => point.time;

export const metricsToRows: SignalDecoder = (body, encoding, window) => {
  if (encoding === 'jsonLines') throw collectorErrors.badRequest('metrics are not accepted as JSON lines');
  const decoded = encoding === 'protobuf' ? decodeMetricsProto(body) : decodeMetricsJson(body);
  const refused: Refused = { invalid: decoded.rejected, tooOld: 0, tooNew: 0, message: decoded.rejectReason };
  const chunks = encodeMetricRows({
    ...decoded,
    gauge: keepInWindow(decoded.gauge, pointTime, window, refused),
    sum: keepInWindow(decoded.sum, pointTime, window, refused),
    histogram: keepInWindow(decoded.histogram, pointTime, window, refused),
    exponentialHistogram: keepInWindow(decoded.exponentialHistogram, pointTime, window, refused),
    summary: keepInWindow(decoded.summary, pointTime, window, refused),
  });
  return { chunks, accepted: chunks.reduce((sum, chunk) => sum + chunk.count, 0), refused };
};

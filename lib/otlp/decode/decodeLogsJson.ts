/** ExportLogsServiceRequest (OTLP/JSON) → log rows. */
import { renderJsonValue } from './anyValue';
import { idFromHex, spanIdBytes, traceIdBytes } from './hexIds';
import { asInteger, asNanos, asString, field, parseJsonBody, readAnyValue, readAttributes, walkJsonRequest } from './jsonFields';
import type { DecodedBatch, LogRow } from '../rows/rowTypes';

export function decodeLogsJson(body: Buffer): DecodedBatch<LogRow> {
  const rows: LogRow[] = [];
  let rejected = 0;
  let rejectReason: string | undefined;
  walkJsonRequest(parseJsonBody(body), { resources: 'resourceLogs', scopes: 'scopeLogs', items: 'logRecords' }, (resource, scope, record, path) => {
    const traceId = idFromHex(field(record, 'traceId'), traceIdBytes);
    const spanId = idFromHex(field(record, 'spanId'), spanIdBytes);
    if (traceId === undefined || spanId === undefined) {
      rejected++;
      rejectReason ??= `${path}: traceId must be 32 hex digits and spanId 16 hex digits`;
      return;
    }
    const time = asNanos(field(record, 'timeUnixNano'), `${path}.timeUnixNano`);
    const bodyValue = field(record, 'body');
    rows.push({
      resource,
      scope,
      timestamp: time || asNanos(field(record, 'observedTimeUnixNano'), `${path}.observedTimeUnixNano`),
      traceId,
      spanId,
      traceFlags: asInteger(field(record, 'flags'), `${path}.flags`) & 0xff,
      severityText: asString(field(record, 'severityText'), `${path}.severityText`),
      severityNumber: asInteger(field(record, 'severityNumber'), `${path}.severityNumber`),
      body: bodyValue === undefined ? '' : renderJsonValue(readAnyValue(bodyValue, `${path}.body`)),
      attributes: readAttributes(field(record, 'attributes'), `${path}.attributes`),
      eventName: asString(field(record, 'eventName'), `${path}.eventName`),
    });
  });
  return { rows, rejected, rejectReason };
}

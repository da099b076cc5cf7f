/** ExportTraceServiceRequest (OTLP/JSON) → span rows; malformed ids reject the span. */
import { idFromHex, isAllZero, spanIdBytes, traceIdBytes } from './hexIds';
import { asArray, asEnum, asNanos, asObject, asString, field, parseJsonBody, readAttributes, walkJsonRequest, type JsonObject } from './jsonFields';
import { spanKindName, statusCodeName, type DecodedBatch, type SpanEventRow, type SpanLinkRow, type SpanRow } from '../rows/rowTypes';

const spanKindEnum = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
const statusCodeEnum = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

export function decodeTracesJson(body: Buffer): DecodedBatch<SpanRow> {
  const rows: SpanRow[] = [];
  let rejected = 0;
  let rejectReason: string | undefined;
  walkJsonRequest(parseJsonBody(body), { resources: 'resourceSpans', scopes: 'scopeSpans', items: 'spans' }, (resource, scope, span, path) => {
    const traceId = idFromHex(field(span, 'traceId'), traceIdBytes);
    const spanId = idFromHex(field(span, 'spanId'), spanIdBytes);
    const parentSpanId = idFromHex(field(span, 'parentSpanId'), spanIdBytes);
    if (!traceId || isAllZero(traceId) || !spanId || isAllZero(spanId) || parentSpanId === undefined) {
      rejected++;
      rejectReason ??= `${path}: traceId must be 32 hex digits and spanId/parentSpanId 16 hex digits, not all zero`;
      return;
    }
    const start = asNanos(field(span, 'startTimeUnixNano'), `${path}.startTimeUnixNano`);
    const end = asNanos(field(span, 'endTimeUnixNano'), `${path}.endTimeUnixNano`);
    const status = asObject(field(span, 'status'), `${path}.status`);
    rows.push({
      resource,
      scope,
      timestamp: start,
      traceId,
      spanId,
      parentSpanId,
      traceState: asString(field(span, 'traceState'), `${path}.traceState`),
      name: asString(field(span, 'name'), `${path}.name`),
      kind: spanKindName(asEnum(field(span, 'kind'), `${path}.kind`, spanKindEnum)),
      attributes: readAttributes(field(span, 'attributes'), `${path}.attributes`),
      duration: end > start ? end - start : 0n,
      statusCode: statusCodeName(asEnum(field(status, 'code'), `${path}.status.code`, statusCodeEnum)),
      statusMessage: asString(field(status, 'message'), `${path}.status.message`),
      events: asArray(field(span, 'events'), `${path}.events`).map((value, i) => readEvent(asObject(value, `${path}.events[${i}]`), `${path}.events[${i}]`)),
      links: asArray(field(span, 'links'), `${path}.links`).map((value, i) => readLink(asObject(value, `${path}.links[${i}]`), `${path}.links[${i}]`)),
    });
  });
  return { rows, rejected, rejectReason };
}

function readEvent(event: JsonObject, path: string): SpanEventRow {
  return {
    time: asNanos(field(event, 'timeUnixNano'), `${path}.timeUnixNano`),
    name: asString(field(event, 'name'), `${path}.name`),
    attributes: readAttributes(field(event, 'attributes'), `${path}.attributes`),
  };
}

function readLink(link: JsonObject, path: string): SpanLinkRow {
  return {
    traceId: idFromHex(field(link, 'traceId'), traceIdBytes) ?? '',
    spanId: idFromHex(field(link, 'spanId'), spanIdBytes) ?? '',
    traceState: asString(field(link, 'traceState'), `${path}.traceState`),
    attributes: readAttributes(field(link, 'attributes'), `${path}.attributes`),
  };
}

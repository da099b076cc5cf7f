/**
 * fast-check arbitraries of valid ingest bodies: spans, log records and gauge points with odd but
 * legal contents (any Unicode, lone surrogates, extreme numbers), encoded by the OpenTelemetry SDK's
 * own protobuf and JSON serializers, plus Zipkin v2 JSON spans and JSON log lines. Every item lies
 * inside the retention window, so each must be stored once its request is acknowledged; `tracked`
 * names the column value that finds it in the store.
 */
import fc from 'fast-check';
import { SpanKind, SpanStatusCode, type AttributeValue, type Attributes, type HrTime } from '@opentelemetry/api';
import { JsonLogsSerializer, JsonMetricsSerializer, JsonTraceSerializer, ProtobufLogsSerializer, ProtobufMetricsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, DataPointType, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** Where a valid body's items are found once stored: `column` of `table` holds each of `values`. */
export type Tracked = { table: 'otel_traces' | 'otel_logs' | 'otel_metrics_gauge'; column: 'SpanId' | 'MetricName'; values: string[] };

export type ValidBody = { signal: 'traces' | 'logs' | 'metrics'; encoding: 'protobuf' | 'json' | 'jsonLines' | 'zipkin'; body: Buffer; tracked: Tracked };

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

/** Text as senders really produce it, and worse: any code point, graphemes, lone surrogates, control characters. */
export const oddText = fc.oneof(
  fc.string({ maxLength: 24 }),
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: fc.oneof(loneSurrogate, fc.constantFrom('\u0000', '\u202e', '\ufeff', '\n', '"', '\\')), maxLength: 8 }),
);

const attributeValue: fc.Arbitrary<AttributeValue> = fc.oneof(
  oddText,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.array(oddText, { maxLength: 4 }),
  fc.array(fc.double(), { maxLength: 4 }),
);
const attributes: fc.Arbitrary<Attributes> = fc.dictionary(oddText, attributeValue, { maxKeys: 6 });

const hex = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).filter((id) => id.some((byte) => byte !== 0)).map((id) => Buffer.from(id).toString('hex'));
const traceId = hex(16);
const spanId = hex(8);

/** Milliseconds before now: within the last hour, far inside any retention window. */
const ageMs = fc.integer({ min: 1_000, max: 3_600_000 });

function hrTime(epochMs: number, extraNanos = 0): HrTime {
  return [Math.floor(epochMs / 1000), (epochMs % 1000) * 1_000_000 + extraNanos];
}

const resource = fc.tuple(oddText, attributes).map(([service, extra]) => resourceFromAttributes({ ...extra, 'service.name': service }));
const scope = { name: 'faultline-fuzz', version: '1.0.0' };

const spanModel = fc.record({
  traceId,
  spanId,
  name: oddText,
  kind: fc.constantFrom(SpanKind.INTERNAL, SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER),
  ageMs,
  durationMs: fc.integer({ min: 0, max: 60_000 }),
  subMillisNanos: fc.integer({ min: 0, max: 999_999 }),
  status: fc.constantFrom(SpanStatusCode.UNSET, SpanStatusCode.OK, SpanStatusCode.ERROR),
  statusMessage: oddText,
  attributes,
  events: fc.array(fc.record({ name: oddText, attributes }), { maxLength: 2 }),
});

type SpanModel = typeof spanModel extends fc.Arbitrary<infer T> ? T : never;

function toReadableSpan(model: SpanModel, spanResource: Resource): ReadableSpan {
  const startMs = Date.now() - model.ageMs;
  const startTime = hrTime(startMs, model.subMillisNanos);
  return {
    name: model.name,
    kind: model.kind,
    spanContext: () => ({ traceId: model.traceId, spanId: model.spanId, traceFlags: 1 }),
    startTime,
    endTime: hrTime(startMs + model.durationMs, model.subMillisNanos),
    duration: hrTime(model.durationMs),
    status: { code: model.status, message: model.statusMessage },
    attributes: model.attributes,
    links: [],
    events: model.events.map((event) => ({ ...event, time: startTime })),
    ended: true,
    resource: spanResource,
    instrumentationScope: scope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

const spanBatch = fc.tuple(resource, fc.array(spanModel, { minLength: 1, maxLength: 8 })).map(([spanResource, models]) => ({
  items: models.map((model) => toReadableSpan(model, spanResource)),
  tracked: { table: 'otel_traces' as const, column: 'SpanId' as const, values: models.map((model) => model.spanId) },
}));

const logModel = fc.record({
  traceId,
  spanId,
  ageMs,
  severityNumber: fc.integer({ min: 0, max: 24 }),
  severityText: oddText,
  body: fc.oneof(oddText, fc.double(), fc.dictionary(oddText, oddText, { maxKeys: 3 })),
  attributes,
});

const logBatch = fc.tuple(resource, fc.array(logModel, { minLength: 1, maxLength: 8 })).map(([logResource, models]) => ({
  items: models.map(
    (model): ReadableLogRecord => ({
      hrTime: hrTime(Date.now() - model.ageMs),
      hrTimeObserved: hrTime(Date.now()),
      spanContext: { traceId: model.traceId, spanId: model.spanId, traceFlags: 1 },
      severityNumber: model.severityNumber,
      severityText: model.severityText,
      body: model.body,
      resource: logResource,
      instrumentationScope: scope,
      attributes: model.attributes,
      droppedAttributesCount: 0,
    }),
  ),
  tracked: { table: 'otel_logs' as const, column: 'SpanId' as const, values: models.map((model) => model.spanId) },
}));

const gaugeModel = fc.record({
  name: hex(6).map((id) => `fuzz.gauge.${id}`),
  unit: oddText,
  points: fc.array(fc.record({ ageMs, value: fc.double({ noNaN: true }), attributes }), { minLength: 1, maxLength: 4 }),
});

const metricBatch = fc.tuple(resource, fc.array(gaugeModel, { minLength: 1, maxLength: 4 })).map(([metricResource, gauges]) => ({
  items: {
    resource: metricResource,
    scopeMetrics: [
      {
        scope,
        metrics: gauges.map((gauge) => ({
          descriptor: { name: gauge.name, description: '', unit: gauge.unit, valueType: 1 },
          aggregationTemporality: AggregationTemporality.CUMULATIVE,
          dataPointType: DataPointType.GAUGE as const,
          dataPoints: gauge.points.map((point) => ({ startTime: hrTime(Date.now() - point.ageMs), endTime: hrTime(Date.now() - point.ageMs), attributes: point.attributes, value: point.value })),
        })),
      },
    ],
  } satisfies ResourceMetrics,
  tracked: { table: 'otel_metrics_gauge' as const, column: 'MetricName' as const, values: gauges.map((gauge) => gauge.name) },
}));

const zipkinSpan = fc.record({
  traceId,
  id: spanId,
  name: oddText,
  kind: fc.constantFrom(undefined, 'CLIENT', 'SERVER', 'PRODUCER', 'CONSUMER'),
  ageMs,
  duration: fc.integer({ min: 1, max: 60_000_000 }),
  service: oddText,
  tags: fc.dictionary(oddText, oddText, { maxKeys: 5 }),
});

const jsonLine = fc.record({ spanId, traceId, ageMs, level: fc.constantFrom(10, 20, 30, 40, 50, 60, 'info', 'WARN'), msg: oddText, extra: fc.dictionary(oddText, fc.jsonValue({ maxDepth: 3 })) });

type Serializer<Items> = (items: Items) => Uint8Array | undefined;

/** A batch as an OpenTelemetry SDK exporter sends it: OTLP protobuf or OTLP/JSON, by the SDK's own serializers. */
function otlpBody<Items>(signal: ValidBody['signal'], batch: fc.Arbitrary<{ items: Items; tracked: Tracked }>, protobuf: Serializer<Items>, json: Serializer<Items>): fc.Arbitrary<ValidBody> {
  return fc.tuple(batch, fc.constantFrom('protobuf' as const, 'json' as const)).map(([{ items, tracked }, encoding]) => ({
    signal,
    encoding,
    body: Buffer.from((encoding === 'protobuf' ? protobuf : json)(items)!),
    tracked,
  }));
}

export const validBody: fc.Arbitrary<ValidBody> = fc.oneof(
  otlpBody('traces', spanBatch, (spans) => ProtobufTraceSerializer.serializeRequest(spans), (spans) => JsonTraceSerializer.serializeRequest(spans)),
  otlpBody('logs', logBatch, (records) => ProtobufLogsSerializer.serializeRequest(records), (records) => JsonLogsSerializer.serializeRequest(records)),
  otlpBody('metrics', metricBatch, (metrics) => ProtobufMetricsSerializer.serializeRequest(metrics), (metrics) => JsonMetricsSerializer.serializeRequest(metrics)),
  fc.array(zipkinSpan, { minLength: 1, maxLength: 8 }).map((spans) => ({
    signal: 'traces' as const,
    encoding: 'zipkin' as const,
    body: Buffer.from(
      JSON.stringify(
        spans.map((span) => ({
          traceId: span.traceId,
          id: span.id,
          name: span.name,
          kind: span.kind,
          timestamp: (Date.now() - span.ageMs) * 1000,
          duration: span.duration,
          localEndpoint: { serviceName: span.service },
          tags: span.tags,
        })),
      ),
    ),
    tracked: { table: 'otel_traces' as const, column: 'SpanId' as const, values: spans.map((span) => span.id) },
  })),
  fc.array(jsonLine, { minLength: 1, maxLength: 8 }).map((lines) => ({
    signal: 'logs' as const,
    encoding: 'jsonLines' as const,
    body: Buffer.from(
      lines
        .map((line) => JSON.stringify({ ...line.extra, time: Date.now() - line.ageMs, level: line.level, msg: line.msg, trace_id: line.traceId, span_id: line.spanId }))
        .join('\n'),
    ),
    tracked: { table: 'otel_logs' as const, column: 'SpanId' as const, values: lines.map((line) => line.spanId) },
  })),
);

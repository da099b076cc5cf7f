-- Fills faultline_trace_spans from every insert into otel_traces, whoever the writer is.
CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.faultline_trace_spans_mv
TO {{db}}.faultline_trace_spans
AS SELECT TraceId, SpanId, ParentSpanId, Timestamp, Duration, ServiceName, SpanName, SpanKind, StatusCode, StatusMessage
FROM {{db}}.otel_traces
WHERE TraceId != ''

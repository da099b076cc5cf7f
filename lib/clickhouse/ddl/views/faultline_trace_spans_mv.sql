-- Fills faultline_trace_spans from every insert into otel_traces, whoever the writer is.
CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.faultline_trace_spans_mv
TO {{db}}.faultline_trace_spans
AS SELECT TraceId, SpanId, ParentSpanId, Timestamp, Duration, ServiceName, SpanName, SpanKind, StatusCode, StatusMessage,
    mapFilter((key, value) -> startsWith(key, 'resilience.') OR key = 'http.request.resend_count', SpanAttributes) AS SpanAttributes
FROM {{db}}.otel_traces
WHERE TraceId != ''

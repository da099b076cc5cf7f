-- Fills faultline_trace_summaries from every insert into otel_traces, whoever the writer is.
CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.faultline_trace_summaries_mv
TO {{db}}.faultline_trace_summaries
AS SELECT
    TraceId,
    min(Timestamp) AS Start,
    max(Timestamp + toIntervalNanosecond(Duration)) AS End,
    min((ParentSpanId != '', Timestamp, toString(ServiceName), toString(SpanName))) AS Root,
    count() AS SpanCount,
    countIf(StatusCode = 'Error') AS ErrorCount,
    groupUniqArray(ServiceName) AS Services
FROM {{db}}.otel_traces
WHERE TraceId != ''
GROUP BY TraceId

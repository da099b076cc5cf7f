-- Fills faultline_trace_times from every insert into otel_traces, whoever the writer is.
CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.faultline_trace_times_mv
TO {{db}}.faultline_trace_times
AS SELECT
    TraceId,
    min(Timestamp) AS First,
    max(Timestamp) AS Last
FROM {{db}}.otel_traces
WHERE TraceId != ''
GROUP BY TraceId, toDateTime(Timestamp)

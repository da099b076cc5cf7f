-- Fills otel_traces_trace_id_ts from every insert into otel_traces, whoever the writer is.
CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.{{table}} {{on_cluster}}
TO {{db}}.{{target:otel_traces_trace_id_ts}}
AS SELECT
    TraceId,
    min(Timestamp) AS Start,
    max(Timestamp) AS End
FROM {{db}}.{{source:otel_traces}}
WHERE TraceId != ''
GROUP BY TraceId

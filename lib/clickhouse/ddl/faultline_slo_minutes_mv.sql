-- Fills faultline_slo_minutes from every insert into otel_traces, whoever the writer is.
CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.{{table}} {{on_cluster}}
TO {{db}}.{{target:faultline_slo_minutes}}
AS SELECT
    toStartOfMinute(Timestamp) AS Minute,
    ServiceName,
    SpanName,
    SpanKind,
    toUInt8(arrayCount(b -> Duration > b * 1000000, [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000])) AS DurationBucket,
    count() AS Spans,
    countIf(StatusCode = 'Error') AS Errors
FROM {{db}}.{{source:otel_traces}}
GROUP BY Minute, ServiceName, SpanName, SpanKind, DurationBucket

-- Fills faultline_service_rollup from every insert into otel_traces, whoever the writer is. The bucket
-- index expression is the one lib/queries/serviceRollup.ts applies to the raw spans at a range's edges.
CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.faultline_service_rollup_mv
TO {{db}}.faultline_service_rollup
AS SELECT
    Step,
    toDateTime(intDiv(toUnixTimestamp(Timestamp), Step) * Step) AS Start,
    ServiceName,
    count() AS Spans,
    countIf(SpanKind IN ('Server', 'Consumer')) AS Requests,
    countIf(SpanKind IN ('Server', 'Consumer') AND StatusCode = 'Error') AS Errors,
    sumMapIf(map(toInt16(ceil(log2(greatest(Duration, 1)) * 32) - 1), toUInt64(1)), SpanKind IN ('Server', 'Consumer')) AS Latency,
    maxIf(Duration, SpanKind = 'Server' AND ParentSpanId != '') AS LongestServed
FROM {{db}}.otel_traces
ARRAY JOIN [60, 3600] AS Step
GROUP BY Step, Start, ServiceName

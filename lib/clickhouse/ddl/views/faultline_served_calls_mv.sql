-- Fills faultline_served_calls from every insert into otel_traces, whoever the writer is. The
-- condition is the one lib/findings/spanRows.ts applies to the raw spans at a range's edges.
CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.faultline_served_calls_mv
TO {{db}}.faultline_served_calls
AS SELECT
    Step,
    if(Step = 0, Timestamp, toDateTime64(intDiv(toUnixTimestamp(Timestamp), greatest(Step, 1)) * Step, 9)) AS Start,
    ServiceName,
    count() AS Calls,
    max(Duration) AS Longest,
    quantilesState(0.5, 0.95)(Duration) AS Durations
FROM {{db}}.otel_traces
ARRAY JOIN [0, 60, 3600] AS Step
WHERE SpanKind = 'Server' AND ParentSpanId != ''
GROUP BY Step, Start, ServiceName

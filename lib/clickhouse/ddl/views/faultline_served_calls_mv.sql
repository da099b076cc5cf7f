-- Fills faultline_served_calls from every insert into otel_traces, whoever the writer is. The
-- condition is the one lib/findings/spanRows.ts applies to the raw spans at a range's edges; the spans
-- are picked before ARRAY JOIN copies each once per step.
CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.faultline_served_calls_mv
TO {{db}}.faultline_served_calls
AS SELECT
    Step,
    toDateTime(intDiv(toUnixTimestamp(Timestamp), Step) * Step) AS Start,
    ServiceName,
    max(Duration) AS Longest
FROM (SELECT Timestamp, ServiceName, Duration FROM {{db}}.otel_traces WHERE SpanKind = 'Server' AND ParentSpanId != '')
ARRAY JOIN [60, 3600] AS Step
GROUP BY Step, Start, ServiceName

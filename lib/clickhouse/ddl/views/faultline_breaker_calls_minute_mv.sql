-- Fills faultline_breaker_calls_minute from otel_metrics_sum itself, not from faultline_breaker_points:
-- rebuilding that table back-fills it by INSERT, which would run a view chained on it again and add
-- every sum twice. The attribute columns are those of faultline_breaker_points_mv.
CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.faultline_breaker_calls_minute_mv
TO {{db}}.faultline_breaker_calls_minute
AS SELECT
    toStartOfMinute(TimeUnix) AS Minute,
    ServiceName,
    Attributes['resilience.policy.name'] AS Name,
    Attributes['outcome'] AS Outcome,
    ResourceAttributes['service.instance.id'] AS Instance,
    StartTimeUnix,
    any(toInt32(AggregationTemporality)) AS AggregationTemporality,
    max(Value) AS Top,
    min(Value) AS Bottom,
    sum(Value) AS Total
FROM {{db}}.otel_metrics_sum
WHERE MetricName = 'resilience.circuit_breaker.calls'
GROUP BY Minute, ServiceName, Name, Outcome, Instance, StartTimeUnix

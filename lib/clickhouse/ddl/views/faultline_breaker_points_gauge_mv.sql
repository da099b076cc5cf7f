-- Fills faultline_breaker_points with the resilience.circuit_breaker.state points of otel_metrics_gauge.
CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.faultline_breaker_points_gauge_mv
TO {{db}}.faultline_breaker_points
AS SELECT
    MetricName,
    ServiceName,
    Attributes['resilience.policy.name'] AS Name,
    Attributes['peer.service'] AS Peer,
    Attributes['outcome'] AS Outcome,
    ResourceAttributes['service.instance.id'] AS Instance,
    StartTimeUnix,
    TimeUnix,
    Value,
    toInt32(0) AS AggregationTemporality
FROM {{db}}.otel_metrics_gauge
WHERE MetricName = 'resilience.circuit_breaker.state'

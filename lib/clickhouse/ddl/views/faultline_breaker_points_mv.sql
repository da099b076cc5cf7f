-- Fills faultline_breaker_points with the {{metric}} points of {{source}}; rendered once per source
-- (the state gauge and the calls counter), each view named after its source's kind.
CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.{{view}}
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
    {{temporality}} AS AggregationTemporality
FROM {{db}}.{{source}}
WHERE MetricName = '{{metric}}'

-- The circuit-breaker metric points (resilience.circuit_breaker.state and .calls, docs/resilience-telemetry.md) with their
-- attributes as plain columns, ordered by series and time: the breakers board reads a narrow slice of
-- this instead of decoding the Attributes map of every metric point in the range.
CREATE TABLE IF NOT EXISTS {{db}}.faultline_breaker_points (
    MetricName LowCardinality(String),
    ServiceName LowCardinality(String),
    Name LowCardinality(String) CODEC(ZSTD(1)),
    Peer LowCardinality(String) CODEC(ZSTD(1)),
    Outcome LowCardinality(String) CODEC(ZSTD(1)),
    Instance String CODEC(ZSTD(1)),
    StartTimeUnix DateTime64(9) CODEC(Delta, ZSTD(1)),
    TimeUnix DateTime64(9) CODEC(Delta, ZSTD(1)),
    Value Float64 CODEC(ZSTD(1)),
    AggregationTemporality Int32
) ENGINE = MergeTree
PARTITION BY toDate(TimeUnix)
ORDER BY (MetricName, ServiceName, Name, Outcome, Instance, toUnixTimestamp64Nano(TimeUnix))
{{ttl}}
SETTINGS index_granularity = 1024, ttl_only_drop_parts = 1

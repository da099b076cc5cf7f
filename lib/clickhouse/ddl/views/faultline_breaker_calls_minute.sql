-- The resilience.circuit_breaker.calls counter per series, counter run (StartTimeUnix) and minute: its
-- highest, lowest and summed values there. Over a long range the breakers board folds these rows into
-- its buckets instead of every point; a minute's rows may be spread over parts until they merge, so
-- readers group them again with max, min and sum.
CREATE TABLE IF NOT EXISTS {{db}}.faultline_breaker_calls_minute (
    Minute DateTime CODEC(Delta(4), ZSTD(1)),
    ServiceName LowCardinality(String),
    Name LowCardinality(String),
    Outcome LowCardinality(String),
    Instance String CODEC(ZSTD(1)),
    StartTimeUnix DateTime64(9) CODEC(Delta, ZSTD(1)),
    AggregationTemporality SimpleAggregateFunction(any, Int32),
    Top SimpleAggregateFunction(max, Float64),
    Bottom SimpleAggregateFunction(min, Float64),
    Total SimpleAggregateFunction(sum, Float64)
) ENGINE = AggregatingMergeTree
PARTITION BY toDate(Minute)
ORDER BY (Minute, ServiceName, Name, Outcome, Instance, StartTimeUnix)
{{ttl}}
SETTINGS index_granularity = 2048, ttl_only_drop_parts = 1

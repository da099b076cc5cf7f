-- First and last span time per trace id: answers "which time range holds this trace?".
CREATE TABLE IF NOT EXISTS {{db}}.{{table}} {{on_cluster}} (
    TraceId String CODEC(ZSTD(1)),
    Start SimpleAggregateFunction(min, DateTime) CODEC(ZSTD(1)),
    End SimpleAggregateFunction(max, DateTime) CODEC(ZSTD(1))
) ENGINE = {{engine:AggregatingMergeTree}}
PARTITION BY toStartOfWeek(Start)
ORDER BY (TraceId)
{{ttl:toDateTime(Start)}}
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1

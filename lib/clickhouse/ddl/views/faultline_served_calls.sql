-- The longest server span with a parent span (an answer to an instrumented caller) per callee, per
-- minute and per hour (Step = 60 or 3600 seconds): the findings pair a callee's answers with their
-- calls only when its longest answer in the range outlasts a caller's timeout (lib/findings/spanRows.ts).
-- A maximum, so spans arriving late add to their minute and hour. A range's ends are read from
-- columns of otel_traces that hold no attribute map.
CREATE TABLE IF NOT EXISTS {{db}}.faultline_served_calls (
    Step UInt32,
    Start DateTime CODEC(Delta(4), ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    Longest SimpleAggregateFunction(max, UInt64)
) ENGINE = AggregatingMergeTree
PARTITION BY toDate(Start)
ORDER BY (Step, Start, ServiceName)
{{ttl}}
SETTINGS index_granularity = 256, ttl_only_drop_parts = 1

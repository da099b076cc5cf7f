-- Server spans with a parent span (calls from an instrumented caller) per callee, per minute and per
-- hour (Step = 60 or 3600 seconds) and per span time (Step = 0, Start the span's Timestamp: a range's
-- ends): how long a service takes to answer its callers, which the findings hold a caller's timeout to
-- (lib/findings/spanRows.ts). A count, the longest, and a quantile state, so spans arriving late add to
-- their minute and hour and the quantiles merge to those of the spans; the quantiles are merged only
-- for a callee whose longest answer outlasts a caller's timeout.
CREATE TABLE IF NOT EXISTS {{db}}.faultline_served_calls (
    Step UInt32,
    Start DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    Calls SimpleAggregateFunction(sum, UInt64),
    Longest SimpleAggregateFunction(max, UInt64),
    Durations AggregateFunction(quantiles(0.5, 0.95), UInt64) CODEC(ZSTD(1))
) ENGINE = AggregatingMergeTree
PARTITION BY toDate(Start)
ORDER BY (Step, Start, ServiceName)
{{ttl}}
SETTINGS index_granularity = 256, ttl_only_drop_parts = 1

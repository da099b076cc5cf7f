-- Server spans with a parent span (calls from an instrumented caller) per callee, per minute and per
-- hour (Step = 60 or 3600 seconds): how long a service takes to answer its callers, which the findings
-- hold a caller's timeout to (lib/findings/spanRows.ts). A count, the longest, and a quantile state, so
-- spans arriving late add to their minute and hour and the quantiles merge to those of the spans; the
-- quantiles are merged only for a callee whose longest answer outlasts a caller's timeout. No rows per
-- span time as faultline_guarded_calls has (each would hold a quantile state of its own): a range's
-- ends are read from columns of otel_traces that hold no attribute map.
CREATE TABLE IF NOT EXISTS {{db}}.faultline_served_calls (
    Step UInt32,
    Start DateTime CODEC(Delta(4), ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    Calls SimpleAggregateFunction(sum, UInt64),
    Longest SimpleAggregateFunction(max, UInt64),
    Durations AggregateFunction(quantiles(0.5, 0.95), UInt64) CODEC(ZSTD(1))
) ENGINE = AggregatingMergeTree
PARTITION BY toDate(Start)
ORDER BY (Step, Start, ServiceName)
{{ttl}}
SETTINGS index_granularity = 256, ttl_only_drop_parts = 1

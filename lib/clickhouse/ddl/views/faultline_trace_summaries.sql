-- One row per trace (after merges): what the trace search lists, readable by TraceId in a few granules
-- instead of re-aggregating the trace's spans, which are scattered across the (ServiceName, SpanName)
-- order of otel_traces. Aggregate states, so spans arriving late merge into their trace's row.
CREATE TABLE IF NOT EXISTS {{db}}.faultline_trace_summaries (
    TraceId String CODEC(ZSTD(1)),
    Start SimpleAggregateFunction(min, DateTime64(9)) CODEC(ZSTD(1)),
    End SimpleAggregateFunction(max, DateTime64(9)) CODEC(ZSTD(1)),
    Root AggregateFunction(argMinIf, Tuple(String, String), DateTime64(9), UInt8),
    First AggregateFunction(argMin, Tuple(String, String), DateTime64(9)),
    SpanCount SimpleAggregateFunction(sum, UInt64),
    ErrorCount SimpleAggregateFunction(sum, UInt64),
    Services SimpleAggregateFunction(groupUniqArrayArray, Array(String))
) ENGINE = AggregatingMergeTree
PARTITION BY toStartOfWeek(Start)
ORDER BY TraceId
{{ttl}}
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1

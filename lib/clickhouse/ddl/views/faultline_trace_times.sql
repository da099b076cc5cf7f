-- When each trace had spans, newest first: the trace search without span filters ("the newest traces in
-- a range") reads a few granules here instead of every span of the range, scattered across the
-- (ServiceName, SpanName) order of otel_traces. One row per trace, second and insert: First and Last are
-- real span starts less than a second apart, so a range of a second or more holds one of a row's spans
-- exactly when it holds First or Last. Spans arriving late add rows of their own.
CREATE TABLE IF NOT EXISTS {{db}}.faultline_trace_times (
    TraceId String CODEC(ZSTD(1)),
    First DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    Last DateTime64(9) CODEC(Delta(8), ZSTD(1))
) ENGINE = MergeTree
PARTITION BY toDate(Last)
ORDER BY Last
{{ttl}}
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1

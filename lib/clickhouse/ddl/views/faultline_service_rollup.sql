-- Per service, per minute and per hour (Step = 60 or 3600 seconds): all spans, entry spans (Server,
-- Consumer), their errors, and a histogram of entry-span durations. The services overview reads these
-- few rows instead of every span; a day is 24 hour rows per service plus the minutes at its edges.
-- Latency maps a bucket index to a count, with the buckets of an OpenTelemetry exponential histogram
-- at scale 5: index i holds durations in (2^(i/32), 2^((i+1)/32)] nanoseconds, so a percentile read
-- from it is within 1.1% of the span duration at that rank. LongestServed is the longest server span with
-- a parent span (an answer to an instrumented caller): the findings pair a callee's answers with their
-- calls only where it outlasts a caller's timeout (lib/findings/spanRows.ts). Aggregate columns, so
-- spans arriving late add to their minute and hour.
CREATE TABLE IF NOT EXISTS {{db}}.faultline_service_rollup (
    Step UInt32,
    Start DateTime CODEC(Delta(4), ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    Spans SimpleAggregateFunction(sum, UInt64),
    Requests SimpleAggregateFunction(sum, UInt64),
    Errors SimpleAggregateFunction(sum, UInt64),
    Latency SimpleAggregateFunction(sumMap, Map(Int16, UInt64)) CODEC(ZSTD(1)),
    LongestServed SimpleAggregateFunction(max, UInt64)
) ENGINE = AggregatingMergeTree
PARTITION BY toDate(Start)
ORDER BY (Step, Start, ServiceName)
{{ttl}}
SETTINGS index_granularity = 256, ttl_only_drop_parts = 1

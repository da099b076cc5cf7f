-- Guarded calls (spans carrying resilience.circuit_breaker.name or resilience.timeout.ms) per minute and
-- per hour (Step = 60 or 3600 seconds), per edge (service, peer.service, operation) and configuration
-- (configured timeout and attempts): what the findings' detectors judge an edge by (lib/findings/spanRows.ts).
-- A day is 24 hour rows per edge plus the minutes at its ends, instead of every guarded span's
-- attribute map. Rows with Step = 0 hold each span time (Start is the span's Timestamp), for the
-- seconds at a range's ends: read from otel_traces, they cost a granule of attribute maps per service
-- and operation. Sums and maxima, so spans arriving late add to their minute and hour.
CREATE TABLE IF NOT EXISTS {{db}}.faultline_guarded_calls (
    Step UInt32,
    Start DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    Peer LowCardinality(String) CODEC(ZSTD(1)),
    SpanName LowCardinality(String) CODEC(ZSTD(1)),
    TimeoutMs UInt32,
    ConfiguredAttempts UInt32,
    Calls SimpleAggregateFunction(sum, UInt64),
    Errors SimpleAggregateFunction(sum, UInt64),
    -- Attempts of each call (resilience.retry.attempt + 1), summed, and the most.
    Attempts SimpleAggregateFunction(sum, UInt64),
    MaxAttempts SimpleAggregateFunction(max, UInt64),
    NonIdempotentRetries SimpleAggregateFunction(sum, UInt64),
    BulkheadLimit SimpleAggregateFunction(max, UInt32),
    BulkheadRejections SimpleAggregateFunction(sum, UInt64),
    -- Calls that waited in a bulkhead's queue, and their shares of time spent waiting, summed.
    Queued SimpleAggregateFunction(sum, UInt64),
    QueueWaitShares SimpleAggregateFunction(sum, Float64)
) ENGINE = AggregatingMergeTree
PARTITION BY toDate(Start)
ORDER BY (Step, Start, ServiceName, Peer, SpanName, TimeoutMs, ConfiguredAttempts)
{{ttl}}
SETTINGS index_granularity = 256, ttl_only_drop_parts = 1

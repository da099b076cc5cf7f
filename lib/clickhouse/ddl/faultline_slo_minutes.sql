-- Per-minute span counts for SLOs: every span counted by service, operation, kind, minute and duration
-- bucket, with its errors. An SLO of a whole service reads its entry spans (Server, Consumer); one of an
-- operation reads that operation's spans whatever their kind (e.g. a client call to a provider). Summing keeps the counts right when spans arrive late:
-- a late span adds a row that merges into its minute. Bucket i holds durations in (b[i-1], b[i]] of the
-- boundaries in milliseconds below (the last bucket: above them all); a latency SLO's threshold is one
-- of these boundaries (lib/slo/buckets.ts holds the same list).
CREATE TABLE IF NOT EXISTS {{db}}.{{table}} {{on_cluster}} (
    Minute DateTime CODEC(Delta(4), ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    SpanName LowCardinality(String) CODEC(ZSTD(1)),
    SpanKind LowCardinality(String) CODEC(ZSTD(1)),
    DurationBucket UInt8,
    Spans UInt64,
    Errors UInt64
) ENGINE = {{engine:SummingMergeTree}}
PARTITION BY toDate(Minute)
ORDER BY (ServiceName, SpanName, SpanKind, Minute, DurationBucket)
{{ttl:Minute}}
SETTINGS index_granularity = 1024, ttl_only_drop_parts = 1

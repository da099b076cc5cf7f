-- What the trace view's waterfall draws of each span, ordered by TraceId: a trace is read from a granule or
-- two instead of one granule per (ServiceName, SpanName) of otel_traces, whose attribute maps are what
-- made reading a trace slow. A span's attributes are read from otel_traces when it is opened; SpanAttributes
-- here keeps only the resilience attributes the waterfall's overlays draw (lib/queries/traceView.ts).
CREATE TABLE IF NOT EXISTS {{db}}.faultline_trace_spans (
    TraceId String CODEC(ZSTD(1)),
    SpanId String CODEC(ZSTD(1)),
    ParentSpanId String CODEC(ZSTD(1)),
    Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    Duration UInt64 CODEC(T64, ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    SpanName LowCardinality(String) CODEC(ZSTD(1)),
    SpanKind LowCardinality(String) CODEC(ZSTD(1)),
    StatusCode LowCardinality(String) CODEC(ZSTD(1)),
    StatusMessage String CODEC(ZSTD(1)),
    SpanAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1))
) ENGINE = MergeTree
PARTITION BY toDate(Timestamp)
ORDER BY TraceId
{{ttl}}
SETTINGS index_granularity = 1024, ttl_only_drop_parts = 1

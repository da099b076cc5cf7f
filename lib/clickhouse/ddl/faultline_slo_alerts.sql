-- SLO alert history: one row per state change of an SLO's burn-rate alert (pending, firing, resolved,
-- ok). The current state of an alert is its latest row.
CREATE TABLE IF NOT EXISTS {{db}}.{{table}} {{on_cluster}} (
    Time DateTime64(3) CODEC(Delta(8), ZSTD(1)),
    SloId LowCardinality(String) CODEC(ZSTD(1)),
    State LowCardinality(String) CODEC(ZSTD(1)),
    Severity LowCardinality(String) CODEC(ZSTD(1)),
    Rule LowCardinality(String) CODEC(ZSTD(1)),
    LongBurnRate Float64,
    ShortBurnRate Float64,
    ExampleTraceIds Array(String) CODEC(ZSTD(1)),
    Message String CODEC(ZSTD(1))
) ENGINE = {{engine:MergeTree}}
PARTITION BY toYYYYMM(Time)
ORDER BY (SloId, Time)
{{ttl:toDateTime(Time)}}

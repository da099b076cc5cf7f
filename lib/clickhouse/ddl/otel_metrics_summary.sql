-- Summary data points (contrib clickhouseexporter layout).
CREATE TABLE IF NOT EXISTS {{db}}.{{table}} {{on_cluster}} (
{{>metrics_columns}}
    Count UInt64 CODEC(Delta, ZSTD(1)),
    Sum Float64 CODEC(ZSTD(1)),
    ValueAtQuantiles Nested (
        Quantile Float64,
        Value Float64
    ) CODEC(ZSTD(1)),
    Flags UInt32 CODEC(ZSTD(1)),
{{>metrics_tail}}

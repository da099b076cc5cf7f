-- Gauge data points (contrib clickhouseexporter layout).
CREATE TABLE IF NOT EXISTS {{db}}.{{table}} {{on_cluster}} (
{{>metrics_columns}}
    Value Float64 CODEC(ZSTD(1)),
    Flags UInt32 CODEC(ZSTD(1)),
{{>metrics_exemplars}}
{{>metrics_tail}}

-- Sum (counter / up-down counter) data points (contrib clickhouseexporter layout).
CREATE TABLE IF NOT EXISTS {{db}}.{{table}} {{on_cluster}} (
{{>metrics_columns}}
    Value Float64 CODEC(ZSTD(1)),
    Flags UInt32 CODEC(ZSTD(1)),
{{>metrics_exemplars}}
    AggregationTemporality Int32 CODEC(ZSTD(1)),
    IsMonotonic Boolean CODEC(Delta, ZSTD(1)),
{{>metrics_tail}}

/**
 * The tables Faultline owns, in the order they are created. Each is one readable `.sql` file in
 * `ddl/`, rendered by `renderDdl` for a single server or a cluster. Versions only ever grow:
 * a change to a table is a new entry, never an edit of an applied one.
 */

export type SchemaObject = {
  version: number;
  /** Table or view name, as users and other tools see it. */
  name: string;
  kind: 'table' | 'materializedView';
  /** For tables on a cluster: the Distributed table's sharding key. */
  shardKey?: string;
};

export const schemaObjects: readonly SchemaObject[] = [
  { version: 1, name: 'otel_traces', kind: 'table', shardKey: 'cityHash64(TraceId)' },
  { version: 2, name: 'otel_traces_trace_id_ts', kind: 'table', shardKey: 'cityHash64(TraceId)' },
  { version: 3, name: 'otel_traces_trace_id_ts_mv', kind: 'materializedView' },
  { version: 4, name: 'otel_logs', kind: 'table', shardKey: 'rand()' },
  { version: 5, name: 'otel_metrics_gauge', kind: 'table', shardKey: 'rand()' },
  { version: 6, name: 'otel_metrics_sum', kind: 'table', shardKey: 'rand()' },
  { version: 7, name: 'otel_metrics_histogram', kind: 'table', shardKey: 'rand()' },
  { version: 8, name: 'otel_metrics_exponential_histogram', kind: 'table', shardKey: 'rand()' },
  { version: 9, name: 'otel_metrics_summary', kind: 'table', shardKey: 'rand()' },
  { version: 10, name: 'faultline_slo_minutes', kind: 'table', shardKey: 'cityHash64(ServiceName)' },
  { version: 11, name: 'faultline_slo_minutes_mv', kind: 'materializedView' },
  { version: 12, name: 'faultline_slo_alerts', kind: 'table', shardKey: 'cityHash64(SloId)' },
];

/**
 * The two things every query module needs from the store: a table reference built only from the
 * configured database and an allow-listed table name, and a typed row fetch that renders the `sql`
 * fragment into query text plus parameters.
 */
import { render, unsafeRaw, type SqlFragment } from '@/lib/clickhouse/sql';
import type { Store } from '@/lib/clickhouse/store';
import { BadParameterError } from './errors';

export type QueryStore = Pick<Store, 'client' | 'database'>;

const tables = [
  'otel_traces',
  'otel_traces_trace_id_ts',
  'otel_logs',
  'otel_metrics_gauge',
  'otel_metrics_sum',
  'faultline_slo_minutes',
  'faultline_slo_alerts',
  'faultline_trace_summaries',
  'faultline_trace_times',
  'faultline_trace_spans',
  'faultline_service_rollup',
  'faultline_breaker_points',
  'faultline_breaker_calls_minute',
] as const;

export type TableName = (typeof tables)[number];

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function table(store: QueryStore, name: TableName) {
  if (!tables.includes(name)) throw new Error(`not an allow-listed table: ${name}`);
  // The database name comes from validated configuration; checked again because it enters SQL as text.
  if (!identifier.test(store.database)) throw new BadParameterError(`database: ${store.database} is not a plain identifier`);
  return unsafeRaw(`"${store.database}"."${name}"`);
}

export async function selectRows<Row>(store: QueryStore, fragment: SqlFragment): Promise<Row[]> {
  const { query, query_params } = render(fragment);
  const result = await store.client.query({
    query,
    query_params,
    format: 'JSONEachRow',
    // Counts are UInt64; as JSON numbers they stay exact far beyond any count we return.
    clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
  });
  return result.json<Row>();
}

/**
 * A DateTime64(9) column as epoch milliseconds with a fractional part. Dividing nanoseconds by 1e6
 * would round whole milliseconds to values like …09.9998; adding the sub-millisecond part to whole
 * milliseconds keeps them exact. `column` must be a column name or lambda variable written in code.
 */
export function epochMs(column: string) {
  if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(column)) throw new Error(`not a column name: ${column}`);
  return unsafeRaw(`(toUnixTimestamp64Milli(${column}) + (toUnixTimestamp64Nano(${column}) % 1000000) / 1e6)`);
}

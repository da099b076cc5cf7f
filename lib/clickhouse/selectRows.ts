/**
 * The two things every query needs from the store: a table reference built only from the configured
 * database and a table named in `tables.ts`, and a typed row fetch that renders the `sql` fragment into
 * query text plus parameters.
 */
import { BadParameterError } from '../errors';
import { render, unsafeRaw, type SqlFragment } from './sql';
import type { Store } from './store';
import { tableNames, type TableName } from './tables';

export type QueryStore = Pick<Store, 'client' | 'database'>;

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function table(store: QueryStore, name: TableName) {
  if (!tableNames.includes(name)) throw new Error(`not an allow-listed table: ${name}`);
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

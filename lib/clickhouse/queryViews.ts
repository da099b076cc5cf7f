/**
 * The dashboard's derived tables (`faultline_*`), each filled by materialized views from the base
 * tables and back-filled when created over stored data; `openStore` runs this after the versioned
 * migrations, before the collector takes traffic (rows arriving during a back-fill would be counted
 * twice). Idempotent.
 *
 * A derived table carries a hash of its definition (its DDL and its views', as rendered) as its
 * comment. When the definition changes — a new Faultline, another retention — the table and its
 * views are dropped, created again and back-filled, since derived rows can always be rebuilt from the
 * base tables.
 *
 * Single server and embedded store only: on a cluster it creates nothing (the queries then read the
 * base tables, as they do whenever a view is missing).
 */
import { createHash } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { ddlFile } from './renderDdl';

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

type ViewDefinition = { name: string; file: string; placeholders?: Record<string, string> };
const view = (name: string): ViewDefinition => ({ name, file: name });

/** Each table with the views that fill it, in creation order. */
export const queryViews: readonly { table: string; views: readonly ViewDefinition[]; ttlColumn: string }[] = [
  { table: 'faultline_trace_summaries', views: [view('faultline_trace_summaries_mv')], ttlColumn: 'Start' },
  { table: 'faultline_trace_times', views: [view('faultline_trace_times_mv')], ttlColumn: 'Last' },
  { table: 'faultline_trace_spans', views: [view('faultline_trace_spans_mv')], ttlColumn: 'Timestamp' },
  { table: 'faultline_service_rollup', views: [view('faultline_service_rollup_mv')], ttlColumn: 'Start' },
  {
    table: 'faultline_breaker_points',
    views: [
      {
        name: 'faultline_breaker_points_gauge_mv',
        file: 'faultline_breaker_points_mv',
        placeholders: { source: 'otel_metrics_gauge', metric: 'resilience.circuit_breaker.state', temporality: 'toInt32(0)' },
      },
      {
        name: 'faultline_breaker_points_sum_mv',
        file: 'faultline_breaker_points_mv',
        placeholders: { source: 'otel_metrics_sum', metric: 'resilience.circuit_breaker.calls', temporality: 'toInt32(AggregationTemporality)' },
      },
    ],
    ttlColumn: 'TimeUnix',
  },
  { table: 'faultline_breaker_calls_minute', views: [view('faultline_breaker_calls_minute_mv')], ttlColumn: 'Minute' },
  { table: 'faultline_guarded_calls', views: [view('faultline_guarded_calls_mv')], ttlColumn: 'Start' },
];

/** Derived tables of earlier versions, with their views: dropped, so an upgraded store stops filling them. */
export const retiredViews: readonly { table: string; views: readonly string[] }[] = [
  // Folded into faultline_service_rollup (LongestServed).
  { table: 'faultline_served_calls', views: ['faultline_served_calls_mv'] },
];

export type QueryViewOptions = {
  database: string;
  retentionDays: number;
  cluster?: string;
  /** Told when a table is built from rows already stored, which can take a while on a large store. */
  onProgress?: (line: string) => void;
};

/** Creates or rebuilds every derived table whose definition isn't the current one; returns what it created. */
export async function migrateQueryViews(client: ClickHouseClient, options: QueryViewOptions): Promise<string[]> {
  if (options.cluster) return [];
  if (!identifier.test(options.database)) throw new Error(`not a plain identifier: ${options.database}`);
  const db = `"${options.database}"`;
  const created: string[] = [];
  let storedRows: number | undefined;
  for (const { table, views } of retiredViews) {
    for (const name of views) await client.command({ query: `DROP VIEW IF EXISTS ${db}."${name}"` });
    await client.command({ query: `DROP TABLE IF EXISTS ${db}."${table}"` });
  }
  for (const { table, views, ttlColumn } of queryViews) {
    const ttl = options.retentionDays > 0 ? `TTL toDateTime(${ttlColumn}) + toIntervalDay(${options.retentionDays})` : '';
    const render = (file: string, placeholders: Record<string, string>) =>
      Object.entries({ ...placeholders, db, ttl }).reduce(
        (ddl, [key, value]) => ddl.replaceAll(`{{${key}}}`, value),
        ddlFile(`views/${file}`),
      );
    const tableDdl = render(table, {});
    const viewDdls = views.map(({ name, file, placeholders }) => render(file, { ...placeholders, view: name }));
    const viewNames = views.map(({ name }) => name);
    const version = createHash('sha256').update([tableDdl, ...viewDdls].join('\n')).digest('hex').slice(0, 16);
    if (await isCurrent(client, options.database, table, viewNames, version)) continue;
    for (const name of viewNames) await client.command({ query: `DROP VIEW IF EXISTS ${db}."${name}"` });
    await client.command({ query: `DROP TABLE IF EXISTS ${db}."${table}"` });
    await client.command({ query: `${tableDdl.trimEnd()}\nCOMMENT '${version}'` });
    storedRows ??= await countStoredRows(client, options.database);
    const started = performance.now();
    if (storedRows > 0) options.onProgress?.(`${table}: building from the ${storedRows.toLocaleString('en')} rows already stored…`);
    for (const viewDdl of viewDdls) {
      await client.command({ query: viewDdl });
      // The view only sees new inserts; the rows already stored go through its own SELECT once.
      const select = viewDdl.slice(viewDdl.indexOf('AS SELECT') + 'AS '.length);
      await client.command({ query: `INSERT INTO ${db}."${table}" ${select}` });
    }
    if (storedRows > 0) options.onProgress?.(`${table}: built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    created.push(table, ...viewNames);
  }
  return created;
}

/** Rows in the contrib tables the collector writes (not the lookup table), from table metadata: no scan. */
async function countStoredRows(client: ClickHouseClient, database: string): Promise<number> {
  const result = await client.query({
    query: "SELECT sum(total_rows) AS rows FROM system.tables WHERE database = {database:String} AND startsWith(name, 'otel_') AND name != 'otel_traces_trace_id_ts'",
    query_params: { database },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ rows: number | string | null }>();
  return Number(row?.rows ?? 0);
}

async function isCurrent(client: ClickHouseClient, database: string, table: string, views: readonly string[], version: string): Promise<boolean> {
  const result = await client.query({
    query: 'SELECT name, comment FROM system.tables WHERE database = {database:String} AND has({names:Array(String)}, name)',
    query_params: { database, names: [table, ...views] },
    format: 'JSONEachRow',
  });
  const found = new Map((await result.json<{ name: string; comment: string }>()).map((row) => [row.name, row.comment]));
  return found.get(table) === version && views.every((view) => found.has(view));
}

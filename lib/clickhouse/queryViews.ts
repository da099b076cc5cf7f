/**
 * The dashboard's derived views (`faultline_*`) that need a back-fill when created over stored
 * spans; `openStore` runs this after the versioned migrations, before the collector takes traffic
 * (spans arriving during a back-fill would be counted twice). Idempotent.
 *
 * Single server and embedded store only: on a cluster it creates nothing (the queries then read the
 * base tables, as they do whenever a view is missing).
 *
 * Not imported by route code: it reads its `.sql` files from disk, which Next's bundle can't follow.
 */
import { readFileSync } from 'node:fs';
import type { ClickHouseClient } from '@clickhouse/client';

const ddlDir = new URL('./ddl/views/', import.meta.url);
const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** In creation order: each table before the views that fill it (a table may be filled by several). */
export const queryViews = [
  { table: 'faultline_trace_summaries', view: 'faultline_trace_summaries_mv', ttlColumn: 'Start' },
  { table: 'faultline_trace_times', view: 'faultline_trace_times_mv', ttlColumn: 'Last' },
  { table: 'faultline_service_rollup', view: 'faultline_service_rollup_mv', ttlColumn: 'Start' },
  { table: 'faultline_breaker_points', view: 'faultline_breaker_points_gauge_mv', ttlColumn: 'TimeUnix' },
  { table: 'faultline_breaker_points', view: 'faultline_breaker_points_sum_mv', ttlColumn: 'TimeUnix' },
] as const;

export type QueryViewOptions = { database: string; retentionDays: number; cluster?: string };

export async function migrateQueryViews(client: ClickHouseClient, options: QueryViewOptions): Promise<string[]> {
  if (options.cluster) return [];
  if (!identifier.test(options.database)) throw new Error(`not a plain identifier: ${options.database}`);
  const created: string[] = [];
  for (const { table, view, ttlColumn } of queryViews) {
    if (await exists(client, options.database, view)) continue;
    const ttl = options.retentionDays > 0 ? `TTL toDateTime(${ttlColumn}) + toIntervalDay(${options.retentionDays})` : '';
    const render = (name: string) =>
      readFileSync(new URL(`${name}.sql`, ddlDir), 'utf8').replaceAll('{{db}}', `"${options.database}"`).replaceAll('{{ttl}}', ttl);
    await client.command({ query: render(table) });
    const viewDdl = render(view);
    await client.command({ query: viewDdl });
    // The view only sees new inserts; the rows already stored go through its own SELECT once.
    const select = viewDdl.slice(viewDdl.indexOf('AS SELECT') + 'AS '.length);
    await client.command({ query: `INSERT INTO "${options.database}"."${table}" ${select}` });
    created.push(...(created.includes(table) ? [] : [table]), view);
  }
  return created;
}

async function exists(client: ClickHouseClient, database: string, name: string): Promise<boolean> {
  const result = await client.query({
    query: 'SELECT count() AS found FROM system.tables WHERE database = {database:String} AND name = {name:String}',
    query_params: { database, name },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ found: string | number }>();
  return Number(row?.found ?? 0) > 0;
}

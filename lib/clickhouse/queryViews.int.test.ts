import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFaultline, type TestFaultline } from '@/tests/support/faultline';
import { migrateQueryViews, retiredViews } from './queryViews';

let faultline: TestFaultline;
const recent = Date.now() - 60_000;

beforeAll(async () => {
  faultline = await startTestFaultline();
  await faultline.store.client.insert({
    table: `${faultline.store.database}.otel_traces`,
    values: [1, 2, 3].map((i) => ({
      Timestamp: new Date(recent + i).toISOString(),
      TraceId: `trace${i}`,
      SpanId: `span${i}`,
      ServiceName: 'gateway',
      SpanName: 'GET /',
      SpanKind: 'Server',
      Duration: 1_000_000,
    })),
    format: 'JSONEachRow',
    clickhouse_settings: { date_time_input_format: 'best_effort' },
  });
});

afterAll(async () => {
  await faultline?.stop();
});

const requests = async () => {
  const [row] = await faultline.query<{ requests: number }>(
    `SELECT toUInt32(sum(Requests)) AS requests FROM "${faultline.store.database}".faultline_service_rollup WHERE Step = 60`,
  );
  return row?.requests;
};

describe('migrateQueryViews', () => {
  const options = () => ({ database: faultline.store.database, retentionDays: faultline.config.retentionDays });

  it('leaves current derived tables alone', async () => {
    expect(await migrateQueryViews(faultline.store.client, options())).toEqual([]);
    expect(await requests()).toBe(3);
  });

  it('rebuilds a derived table whose definition changed, back-filled from the base tables', async () => {
    await faultline.store.client.command({
      query: `ALTER TABLE "${faultline.store.database}".faultline_service_rollup MODIFY COMMENT 'an older definition'`,
    });
    const progress: string[] = [];
    expect(await migrateQueryViews(faultline.store.client, { ...options(), onProgress: (line) => progress.push(line) })).toEqual([
      'faultline_service_rollup',
      'faultline_service_rollup_mv',
    ]);
    expect(await requests()).toBe(3);
    expect(progress).toEqual([
      'faultline_service_rollup: building from the 3 rows already stored…',
      expect.stringMatching(/^faultline_service_rollup: built in \d+\.\d s$/),
    ]);
  });

  it('leaves the breaker calls rollup’s sums alone when faultline_breaker_points is rebuilt', async () => {
    const { client, database } = faultline.store;
    await client.insert({
      table: `${database}.otel_metrics_sum`,
      values: [{ ServiceName: 'cart', MetricName: 'resilience.circuit_breaker.calls', TimeUnix: new Date(recent).toISOString(), Value: 4, AggregationTemporality: 1 }],
      format: 'JSONEachRow',
      clickhouse_settings: { date_time_input_format: 'best_effort' },
    });
    await client.command({ query: `ALTER TABLE "${database}".faultline_breaker_points MODIFY COMMENT 'an older definition'` });
    expect(await migrateQueryViews(client, options())).toEqual(['faultline_breaker_points', 'faultline_breaker_points_gauge_mv', 'faultline_breaker_points_sum_mv']);
    const [row] = await faultline.query<{ total: number }>(`SELECT sum(Total) AS total FROM "${database}".faultline_breaker_calls_minute`);
    expect(row?.total).toBe(4);
  });

  it('drops the derived tables of earlier versions, with their views', async () => {
    const { client, database } = faultline.store;
    const [retired] = retiredViews;
    await client.command({ query: `CREATE TABLE "${database}"."${retired!.table}" (Start DateTime, Longest UInt64) ENGINE = MergeTree ORDER BY Start` });
    await client.command({
      query: `CREATE MATERIALIZED VIEW "${database}"."${retired!.views[0]}" TO "${database}"."${retired!.table}" AS SELECT toDateTime(Timestamp) AS Start, Duration AS Longest FROM "${database}".otel_traces`,
    });
    await migrateQueryViews(client, options());
    const left = await faultline.query<{ name: string }>('SELECT name FROM system.tables WHERE database = {db:String} AND name LIKE {like:String}', {
      db: database,
      like: `${retired!.table}%`,
    });
    expect(left).toEqual([]);
  });

  it('rebuilds every derived table for another retention, and its view keeps filling it', async () => {
    const rebuilt = await migrateQueryViews(faultline.store.client, { ...options(), retentionDays: options().retentionDays + 1 });
    expect(rebuilt).toContain('faultline_breaker_points_sum_mv');
    const [ddl] = await faultline.query<{ ddl: string }>(
      `SELECT create_table_query AS ddl FROM system.tables WHERE database = {db:String} AND name = 'faultline_service_rollup'`,
      { db: faultline.store.database },
    );
    expect(ddl?.ddl).toContain(`toIntervalDay(${options().retentionDays + 1})`);
    await faultline.store.client.insert({
      table: `${faultline.store.database}.otel_traces`,
      values: [{ Timestamp: new Date(recent).toISOString(), TraceId: 't4', SpanId: 's4', ServiceName: 'gateway', SpanKind: 'Server', Duration: 1 }],
      format: 'JSONEachRow',
      clickhouse_settings: { date_time_input_format: 'best_effort' },
    });
    expect(await requests()).toBe(4);
  });
});

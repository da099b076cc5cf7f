import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestFaultline, type TestFaultline } from '@/tests/support/faultline';

let faultline: TestFaultline;
const dayMs = 86_400_000;
// Rows that enter the store seconds before the 1-day retention window passes them by.
const agingMarginMs = 8_000;
let insertedAtMs = 0;

/**
 * The tables partitioned by day and keyed by an item's own time, with the column their TTL reads.
 * Not here (docs/reliability.md): `otel_traces_trace_id_ts` and `faultline_trace_summaries`,
 * partitioned by week, keep a part until its newest row expires; the TTL of `faultline_service_rollup`
 * and `faultline_guarded_calls` reads a bucket's start, so a minute or hour
 * bucket leaves up to an hour before its spans.
 */
const tables: [string, string][] = [
  ['otel_traces', 'Timestamp'],
  ['otel_logs', 'Timestamp'],
  ['otel_metrics_gauge', 'TimeUnix'],
  ['faultline_trace_spans', 'Timestamp'],
  ['faultline_trace_times', 'Last'],
  ['faultline_breaker_points', 'TimeUnix'],
];

async function insert(table: string, values: object[]): Promise<void> {
  await faultline.store.client.insert({
    table: `${faultline.store.database}.${table}`,
    values,
    format: 'JSONEachRow',
    clickhouse_settings: { date_time_input_format: 'best_effort' },
  });
}

/** Rows per table: the aging ones (about a day old) and the fresh ones (written now). */
async function rowsByAge(): Promise<Record<string, { aging: number; fresh: number }>> {
  const counts: Record<string, { aging: number; fresh: number }> = {};
  const split = new Date(insertedAtMs - 3_600_000).toISOString().replace('T', ' ').replace('Z', '');
  for (const [table, column] of tables) {
    const [row] = await faultline.query<{ aging: string; fresh: string }>(
      `SELECT countIf(${column} < {split:DateTime64(3, 'UTC')}) AS aging, countIf(${column} >= {split:DateTime64(3, 'UTC')}) AS fresh
       FROM ${faultline.store.database}.${table}`,
      { split },
    );
    counts[table] = { aging: Number(row!.aging), fresh: Number(row!.fresh) };
  }
  return counts;
}

beforeAll(async () => {
  faultline = await startTestFaultline({ FAULTLINE_RETENTION_DAYS: '1' });
  // The aging and fresh rows must fall on different days (partitions): not in a day's last seconds.
  const sinceMidnight = Date.now() % dayMs;
  if (sinceMidnight > dayMs - 2 * agingMarginMs) await sleep(dayMs - sinceMidnight + 1_000);
  insertedAtMs = Date.now();
  // Written past the collector, which refuses an item only once it is older than the window.
  for (const [age, atMs] of [['aging', insertedAtMs - dayMs + agingMarginMs], ['fresh', insertedAtMs]] as const) {
    const time = new Date(atMs).toISOString();
    await insert('otel_traces', [{ Timestamp: time, TraceId: `${age}-trace`, SpanId: `${age}-span`, ServiceName: 'gateway', SpanName: 'GET /', SpanKind: 'Server', Duration: 1_000_000 }]);
    await insert('otel_logs', [{ Timestamp: time, ServiceName: 'gateway', Body: age }]);
    await insert('otel_metrics_gauge', [
      { TimeUnix: time, ServiceName: 'gateway', MetricName: 'resilience.circuit_breaker.state', Attributes: { 'resilience.policy.name': 'gateway->payment' }, Value: 1 },
    ]);
  }
});
afterAll(async () => {
  await faultline?.stop();
});

describe('retention (FAULTLINE_RETENTION_DAYS=1)', () => {
  it('drops the parts whose rows have aged past the window, and keeps the fresh rows, in every table', async () => {
    const before = await rowsByAge();
    for (const [table, { aging, fresh }] of Object.entries(before)) expect([table, aging > 0, fresh > 0]).toEqual([table, true, true]);

    // Let the aging rows pass the window's edge, then apply the TTL now rather than at ClickHouse's next merge.
    await sleep(insertedAtMs + agingMarginMs + 1_000 - Date.now());
    for (const [table] of tables) await faultline.store.client.command({ query: `OPTIMIZE TABLE ${faultline.store.database}.${table} FINAL` });

    const kept = Object.fromEntries(Object.entries(before).map(([table, { fresh }]) => [table, { aging: 0, fresh }]));
    expect(await rowsByAge()).toEqual(kept);
  });
});

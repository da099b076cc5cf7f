import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config';
import { isMigrated, migrate } from './migrate';
import { openStore } from './store';

const dataDir = mkdtempSync(join(tmpdir(), 'faultline-migrate-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('migrations on the embedded store', () => {
  it('create every contrib table once, record their versions, and apply nothing on a second run', async () => {
    const config = loadConfig({ FAULTLINE_DATA_DIR: dataDir, FAULTLINE_RETENTION_DAYS: '3' });
    const store = await openStore(config);
    try {
      expect(await isMigrated(store.client, 'faultline')).toBe(true);
      const again = await migrate(store.client, { database: 'faultline', retentionDays: 3 });
      expect(again.applied).toEqual([]);
      expect(again.fullText).toBe(true);

      const result = await store.client.query({
        query: "SELECT name, engine FROM system.tables WHERE database = 'faultline' ORDER BY name",
        format: 'JSONEachRow',
      });
      const tables = await result.json<{ name: string; engine: string }>();
      expect(tables).toEqual(
        expect.arrayContaining([
          { name: 'otel_traces', engine: 'MergeTree' },
          { name: 'otel_traces_trace_id_ts', engine: 'AggregatingMergeTree' },
          { name: 'otel_traces_trace_id_ts_mv', engine: 'MaterializedView' },
          { name: 'otel_logs', engine: 'MergeTree' },
          { name: 'otel_metrics_exponential_histogram', engine: 'MergeTree' },
        ]),
      );
      const versions = await store.client.query({
        query: 'SELECT version, name FROM faultline.faultline_schema_migrations ORDER BY version',
        format: 'JSONEachRow',
      });
      // One row each: no version recorded twice by the second run.
      expect(await versions.json()).toEqual([
        { version: 1, name: 'otel_traces' },
        { version: 2, name: 'otel_traces_trace_id_ts' },
        { version: 3, name: 'otel_traces_trace_id_ts_mv' },
        { version: 4, name: 'otel_logs' },
        { version: 5, name: 'otel_metrics_gauge' },
        { version: 6, name: 'otel_metrics_sum' },
        { version: 7, name: 'otel_metrics_histogram' },
        { version: 8, name: 'otel_metrics_exponential_histogram' },
        { version: 9, name: 'otel_metrics_summary' },
        { version: 10, name: 'faultline_slo_minutes' },
        { version: 11, name: 'faultline_slo_minutes_mv' },
        { version: 12, name: 'faultline_slo_alerts' },
      ]);

      const ttl = await store.client.query({ query: 'SHOW CREATE TABLE faultline.otel_logs', format: 'TabSeparatedRaw' });
      expect(await ttl.text()).toContain('TTL toDateTime(Timestamp) + toIntervalDay(3)');
    } finally {
      await store.close();
    }
  });
});

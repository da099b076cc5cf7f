import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config';
import { isMigrated, migrate } from './migrate';
import { openStore } from './store';
import { schemaObjects } from './schema';

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
      const versions = await store.client.query({ query: 'SELECT count() AS n FROM faultline.faultline_schema_migrations', format: 'JSONEachRow' });
      expect(Number((await versions.json<{ n: string }>())[0]!.n)).toBe(schemaObjects.length);

      const ttl = await store.client.query({ query: 'SHOW CREATE TABLE faultline.otel_logs', format: 'TabSeparatedRaw' });
      expect(await ttl.text()).toContain('TTL toDateTime(Timestamp) + toIntervalDay(3)');
    } finally {
      await store.close();
    }
  });
});

/**
 * A real Faultline for tests: the collector on a random 127.0.0.1 port over a fresh embedded
 * ClickHouse in a temporary directory. One per test file (one chDB engine per process).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector, type RunningCollector } from '../../collector/collector';
import { openStore, type Store } from '../../lib/clickhouse/store';
import { loadConfig, type FaultlineConfig } from '../../lib/config';

export type TestFaultline = {
  store: Store;
  collector: RunningCollector;
  config: FaultlineConfig;
  otlpEndpoint: string;
  query<T>(sql: string, params?: Record<string, unknown>): Promise<T[]>;
  stop(): Promise<void>;
};

export async function startTestFaultline(env: Record<string, string> = {}): Promise<TestFaultline> {
  const dataDir = mkdtempSync(join(tmpdir(), 'faultline-test-'));
  const config = loadConfig({ FAULTLINE_DATA_DIR: dataDir, FAULTLINE_OTLP_PORT: '0', FAULTLINE_ZIPKIN_PORT: '0', FAULTLINE_OTLP_GRPC_PORT: '0', FAULTLINE_BATCH_MAX_DELAY_MS: '20', ...env });
  const store = await openStore(config);
  const collector = await startCollector(store, config);
  return {
    store,
    collector,
    config,
    otlpEndpoint: collector.url,
    async query<T>(sql: string, params: Record<string, unknown> = {}) {
      const result = await store.client.query({ query: sql, query_params: params, format: 'JSONEachRow' });
      return result.json<T>();
    },
    async stop() {
      await collector.stop();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

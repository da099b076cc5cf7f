/**
 * ClickHouse's HTTP interface on the embedded store, on its own port (8123, as ClickHouse's), so
 * `clickhouse client`, curl, `@clickhouse/client`, Grafana's ClickHouse data source and HyperDX read
 * what Faultline stores, and remote collectors and dashboards (server mode) use it as their ClickHouse.
 * In the process holding the store: it shares the one chDB engine (./engine.ts). The protocol is in
 * ./handler.ts and the modules beside it; docs/deployment.md says what is supported.
 */
import http from 'node:http';
import type { ClickHouseHttpConfig } from '@/lib/config';
import { ConfigError } from '@/lib/config';
import { isLoopback } from '../auth/accessCheck';
import { listen, type Listening } from '../listen';
import { openEngine } from './engine';
import { clickHouseHttpHandler } from './handler';
import { createQueryQueue } from './queue';

export type ClickHouseHttpStore = { kind: 'chdb' | 'http'; dataDir?: string; database: string; beforeRead(): Promise<void> };

/** ClickHouse's own max_query_size: the query text before an INSERT's data. */
const maxQueryBytes = 256 * 1024;

export async function startClickHouseHttp(
  store: ClickHouseHttpStore,
  config: ClickHouseHttpConfig,
  options: { maxBodyBytes: number },
): Promise<Listening> {
  if (store.kind !== 'chdb' || !store.dataDir) throw new Error('the ClickHouse HTTP interface serves the embedded store only');
  if (!config.password && !isLoopback(config.host)) {
    throw new ConfigError(
      `ClickHouse's HTTP interface would listen on ${config.host} with no password for its read-only default user. ` +
        'Set FAULTLINE_CLICKHOUSE_HTTP_PASSWORD, or keep FAULTLINE_CLICKHOUSE_HTTP_HOST on loopback.',
    );
  }
  const opened = await openEngine(store.dataDir);
  // A query sees every span the collector acknowledged before it (lib/clickhouse/spanStaging.ts).
  const engine: typeof opened = {
    ...opened,
    run: async (query) => {
      await store.beforeRead();
      return opened.run(query);
    },
  };
  const handle = clickHouseHttpHandler({
    engine,
    queue: createQueryQueue({
      concurrency: config.maxConcurrentQueries,
      maxWaiting: config.maxQueuedQueries,
      maxWaitMs: config.maxExecutionSeconds * 1000,
    }),
    limits: {
      maxExecutionSeconds: config.maxExecutionSeconds,
      maxResultRows: config.maxResultRows,
      maxResultBytes: config.maxResultBytes,
      maxMemoryBytes: config.maxMemoryBytes,
    },
    passwords: { defaultPassword: config.password, adminPassword: config.adminPassword },
    defaultDatabase: store.database,
    maxBodyBytes: options.maxBodyBytes,
    maxQueryBytes,
  });
  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('ClickHouse HTTP request failed', error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=UTF-8' });
      res.end();
    });
  });
  try {
    const listening = await listen(server, config.host, config.port);
    return {
      url: listening.url,
      async close() {
        await listening.close();
        engine.close();
      },
    };
  } catch (error) {
    engine.close();
    throw error;
  }
}

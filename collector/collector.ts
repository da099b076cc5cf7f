/**
 * A running collector: the OTLP/HTTP receiver over a pipeline into one store. `stop()` is the
 * SIGTERM path: stop accepting, finish in-flight batches, close the listener.
 */
import type { AddressInfo } from 'node:net';
import { isMigrated } from '../lib/clickhouse/migrate';
import type { Store } from '../lib/clickhouse/store';
import type { FaultlineConfig } from '../lib/config';
import { Pipeline } from './pipeline';
import { createOtlpHttpServer } from './receivers/otlpHttp';

export type RunningCollector = { url: string; port: number; pipeline: Pipeline; stop(): Promise<void> };

export async function startCollector(
  store: Store,
  config: Pick<FaultlineConfig, 'otlp' | 'batch' | 'ingestToken' | 'retentionDays'>,
): Promise<RunningCollector> {
  const pipeline = new Pipeline(store, config);
  const server = createOtlpHttpServer({
    pipeline,
    maxBodyBytes: config.otlp.maxBodyBytes,
    ingestToken: config.ingestToken,
    isReady: async () => (await store.client.ping()).success && (await isMigrated(store.client, store.database)),
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.otlp.port, config.otlp.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.otlp.host.includes(':') ? `[${config.otlp.host}]` : config.otlp.host;
  return {
    url: `http://${host}:${port}`,
    port,
    pipeline,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await pipeline.shutdown();
      server.closeAllConnections();
      await closed;
    },
  };
}

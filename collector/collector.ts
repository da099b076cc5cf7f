/**
 * A running collector: the OTLP/HTTP and Zipkin receivers over one pipeline into one store. `stop()`
 * is the SIGTERM path: stop accepting, finish in-flight batches, close the listeners.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isMigrated } from '../lib/clickhouse/migrate';
import type { Store } from '../lib/clickhouse/store';
import type { FaultlineConfig } from '../lib/config';
import { Pipeline } from './pipeline';
import { createOtlpHttpServer } from './receivers/otlpHttp';
import { createZipkinHttpServer } from './receivers/zipkinHttp';

export type RunningCollector = {
  url: string;
  port: number;
  /** The Zipkin receiver's base URL: spans go to `${zipkinUrl}/api/v2/spans`. */
  zipkinUrl: string;
  pipeline: Pipeline;
  stop(): Promise<void>;
};

export async function startCollector(
  store: Store,
  config: Pick<FaultlineConfig, 'otlp' | 'zipkin' | 'batch' | 'ingestToken' | 'retentionDays'>,
): Promise<RunningCollector> {
  const pipeline = new Pipeline(store, config);
  const server = createOtlpHttpServer({
    pipeline,
    maxBodyBytes: config.otlp.maxBodyBytes,
    ingestToken: config.ingestToken,
    isReady: async () => (await store.client.ping()).success && (await isMigrated(store.client, store.database)),
  });
  server.keepAliveTimeout = 65_000;
  const zipkin = createZipkinHttpServer({ pipeline, maxBodyBytes: config.otlp.maxBodyBytes, ingestToken: config.ingestToken });
  zipkin.keepAliveTimeout = 65_000;
  const port = await listen(server, config.otlp.port, config.otlp.host);
  const zipkinPort = await listen(zipkin, config.zipkin.port, config.zipkin.host).catch(async (error: unknown) => {
    await new Promise((resolve) => server.close(resolve));
    throw error;
  });
  const servers = [server, zipkin];
  return {
    url: baseUrl(config.otlp.host, port),
    port,
    zipkinUrl: baseUrl(config.zipkin.host, zipkinPort),
    pipeline,
    async stop() {
      const closed = servers.map((each) => new Promise<void>((resolve) => each.close(() => resolve())));
      for (const each of servers) each.closeIdleConnections();
      await pipeline.shutdown();
      for (const each of servers) each.closeAllConnections();
      await Promise.all(closed);
    },
  };
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

function baseUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

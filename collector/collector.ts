/**
 * A running collector: the OTLP/HTTP and OTLP/gRPC receivers over a pipeline into one store. `stop()`
 * is the SIGTERM path: stop accepting, finish in-flight batches, close the listeners.
 */
import type { AddressInfo } from 'node:net';
import { isMigrated } from '../lib/clickhouse/migrate';
import type { Store } from '../lib/clickhouse/store';
import type { FaultlineConfig } from '../lib/config';
import { Pipeline } from './pipeline';
import { startOtlpGrpcServer } from './receivers/otlpGrpc';
import { createOtlpHttpServer } from './receivers/otlpHttp';
import { loadTls } from './receivers/tls';

export type RunningCollector = {
  url: string;
  port: number;
  /** The OTLP/gRPC endpoint, `http://` or `https://` host:port as the OpenTelemetry gRPC exporters take it. */
  grpcUrl: string;
  grpcPort: number;
  pipeline: Pipeline;
  stop(): Promise<void>;
};

export async function startCollector(
  store: Store,
  config: Pick<FaultlineConfig, 'otlp' | 'batch' | 'ingestToken' | 'tls'>,
): Promise<RunningCollector> {
  const pipeline = new Pipeline(store, config);
  const receiverOptions = {
    pipeline,
    maxBodyBytes: config.otlp.maxBodyBytes,
    ingestToken: config.ingestToken,
    isReady: async () => (await store.client.ping()).success && (await isMigrated(store.client, store.database)),
    tls: config.tls && loadTls(config.tls),
  };
  const server = createOtlpHttpServer(receiverOptions);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.otlp.port, config.otlp.host, () => resolve());
  });
  const grpc = await startOtlpGrpcServer(receiverOptions, config.otlp.grpcHost, config.otlp.grpcPort).catch(async (error: unknown) => {
    await new Promise((resolve) => server.close(resolve));
    throw error;
  });
  const { port } = server.address() as AddressInfo;
  const scheme = receiverOptions.tls ? 'https' : 'http';
  return {
    url: `${scheme}://${urlHost(config.otlp.host)}:${port}`,
    port,
    grpcUrl: `${scheme}://${urlHost(config.otlp.grpcHost)}:${grpc.port}`,
    grpcPort: grpc.port,
    pipeline,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Refuses new calls at once; resolves when the calls in flight have been answered.
      const grpcClosed = new Promise<void>((resolve) => grpc.server.tryShutdown(() => resolve()));
      server.closeIdleConnections();
      await pipeline.shutdown();
      server.closeAllConnections();
      await Promise.all([closed, grpcClosed]);
    },
  };
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

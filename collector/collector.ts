/**
 * A running collector: the OTLP/HTTP, OTLP/gRPC and Zipkin receivers over one pipeline into one
 * store. `stop()` is the SIGTERM path: stop accepting, finish in-flight batches, close the listeners.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isMigrated } from '../lib/clickhouse/migrate';
import type { Store } from '../lib/clickhouse/store';
import type { FaultlineConfig } from '../lib/config';
import { Pipeline } from './pipeline';
import { startOtlpGrpcServer } from './receivers/otlpGrpc';
import { createOtlpHttpServer } from './receivers/otlpHttp';
import { loadTls } from './receivers/tls';
import { createZipkinHttpServer } from './receivers/zipkinHttp';

export type RunningCollector = {
  url: string;
  port: number;
  /** The OTLP/gRPC endpoint, `http://` or `https://` host:port as the OpenTelemetry gRPC exporters take it. */
  grpcUrl: string;
  grpcPort: number;
  /** The Zipkin receiver's base URL: spans go to `${zipkinUrl}/api/v2/spans`. */
  zipkinUrl: string;
  pipeline: Pipeline;
  stop(): Promise<void>;
};

export async function startCollector(
  store: Store,
  config: Pick<FaultlineConfig, 'otlp' | 'zipkin' | 'batch' | 'ingestToken' | 'retentionDays' | 'tls' | 'crashDedupMs'>,
): Promise<RunningCollector> {
  const pipeline = new Pipeline(store, config);
  const receiverOptions = {
    pipeline,
    maxBodyBytes: config.otlp.maxBodyBytes,
    ingestToken: config.ingestToken,
    isReady: async () => (await store.client.ping()).success && (await isMigrated(store.client, store.database)),
    tls: config.tls && loadTls(config.tls),
  };
  const servers = [createOtlpHttpServer(receiverOptions), createZipkinHttpServer(receiverOptions)];
  for (const server of servers) server.keepAliveTimeout = 65_000;
  const closeAll = () => Promise.all(servers.filter((server) => server.listening).map((server) => new Promise((resolve) => server.close(resolve))));
  const listening = await Promise.all([
    listen(servers[0]!, config.otlp.port, config.otlp.host),
    listen(servers[1]!, config.zipkin.port, config.zipkin.host),
    startOtlpGrpcServer(receiverOptions, config.otlp.grpcHost, config.otlp.grpcPort),
  ]).catch(async (error: unknown) => {
    await closeAll();
    throw error;
  });
  const [port, zipkinPort, grpc] = listening;
  const scheme = receiverOptions.tls ? 'https' : 'http';
  const baseUrl = (host: string, at: number) => `${scheme}://${host.includes(':') ? `[${host}]` : host}:${at}`;
  return {
    url: baseUrl(config.otlp.host, port),
    port,
    grpcUrl: baseUrl(config.otlp.grpcHost, grpc.port),
    grpcPort: grpc.port,
    zipkinUrl: baseUrl(config.zipkin.host, zipkinPort),
    pipeline,
    async stop() {
      const closed = closeAll();
      // Refuses new calls at once; resolves when the calls in flight have been answered.
      const grpcClosed = new Promise<void>((resolve) => grpc.server.tryShutdown(() => resolve()));
      for (const server of servers) server.closeIdleConnections();
      await pipeline.shutdown();
      for (const server of servers) server.closeAllConnections();
      await Promise.all([closed, grpcClosed]);
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

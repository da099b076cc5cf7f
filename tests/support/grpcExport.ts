/**
 * A raw OTLP/gRPC client for tests (`@grpc/grpc-js`, bytes in and out): sends any body, garbage
 * included, to an `Export` method and resolves with the answer or the gRPC error, never rejects.
 */
import { Client, credentials as grpcCredentials, Metadata, type ChannelCredentials, type ServiceError } from '@grpc/grpc-js';

export const otlpGrpcMethods = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  health: '/grpc.health.v1.Health/Check',
};

export type GrpcAnswer = { response: Buffer; error?: undefined } | { response?: undefined; error: ServiceError };

export type GrpcExportClient = {
  call(method: string, body: Buffer, headers?: Record<string, string>): Promise<GrpcAnswer>;
  close(): void;
};

/** `target` is host:port; `gzip` compresses every request message. */
export function grpcExportClient(target: string, options: { credentials?: ChannelCredentials; gzip?: boolean } = {}): GrpcExportClient {
  const client = new Client(target, options.credentials ?? grpcCredentials.createInsecure(), options.gzip ? { 'grpc.default_compression_algorithm': 2 } : {});
  const raw = (bytes: Buffer) => bytes;
  return {
    call(method, body, headers = {}) {
      const metadata = new Metadata();
      for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
      return new Promise((resolve) => {
        client.makeUnaryRequest(method, raw, raw, body, metadata, (error, response) => resolve(error ? { error } : { response: response ?? Buffer.alloc(0) }));
      });
    },
    close: () => client.close(),
  };
}

/**
 * The OTLP/gRPC receiver: `opentelemetry.proto.collector.{trace,logs,metrics}.v1.*Service/Export`
 * (gzip or not) and `grpc.health.v1.Health/Check`. Requests stay raw bytes — the pipeline decodes
 * them in one pass like an OTLP/HTTP protobuf body — and are answered once their rows are committed.
 * Failures are classified in `../errors`: the gRPC code, and a `google.rpc.RetryInfo` when retryable.
 */
import { Metadata, Server, status, type ServerUnaryCall, type sendUnaryData, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { refusedTotal } from '../../lib/otlp/decode/timeWindow';
import { classify, collectorErrors, type CollectorError } from '../errors';
import type { Pipeline } from '../pipeline';
import { hasBearerToken } from './bearerToken';
import { exportResponse, grpcStatusDetails, type Signal } from './otlpResponses';
import { grpcCredentials, type TlsMaterial } from './tls';

export type GrpcReceiverOptions = {
  pipeline: Pipeline;
  maxBodyBytes: number;
  ingestToken?: string;
  /** True when the store is reachable and migrated. */
  isReady: () => Promise<boolean>;
  tls?: TlsMaterial;
};

const exportServices: Record<Signal, string> = {
  traces: 'opentelemetry.proto.collector.trace.v1.TraceService',
  logs: 'opentelemetry.proto.collector.logs.v1.LogsService',
  metrics: 'opentelemetry.proto.collector.metrics.v1.MetricsService',
};
const healthService = 'grpc.health.v1.Health';

const raw = (bytes: Buffer) => bytes;

function unaryMethod(path: string): ServiceDefinition[string] {
  return { path, requestStream: false, responseStream: false, requestSerialize: raw, requestDeserialize: raw, responseSerialize: raw, responseDeserialize: raw };
}

type Unary = (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => void;

export async function startOtlpGrpcServer(options: GrpcReceiverOptions, host: string, port: number): Promise<{ server: Server; port: number }> {
  // Nothing serves channelz here, and its per-call bookkeeping costs CPU on every export.
  const server = new Server({ 'grpc.max_receive_message_length': options.maxBodyBytes, 'grpc.enable_channelz': 0 });
  for (const [signal, service] of Object.entries(exportServices) as [Signal, string][]) {
    const exportCall: Unary = (call, callback) => {
      answer(callback, (failure) => options.pipeline.metrics.countRefusedRequest(signal, failure.status), async () => {
        const token = call.metadata.get('authorization')[0];
        if (options.ingestToken && !hasBearerToken(typeof token === 'string' ? token : undefined, options.ingestToken)) {
          throw collectorErrors.unauthorized();
        }
        const result = await options.pipeline.consume(signal, 'protobuf', call.request);
        options.pipeline.metrics.countItems(signal, result.accepted, result.refused);
        return exportResponse(signal, 'protobuf', refusedTotal(result.refused), result.message);
      });
    };
    server.addService({ Export: unaryMethod(`/${service}/Export`) }, { Export: exportCall } as UntypedServiceImplementation);
  }
  const check: Unary = (call, callback) => answer(callback, () => {}, () => healthCheck(call.request, options));
  server.addService({ Check: unaryMethod(`/${healthService}/Check`) }, { Check: check } as UntypedServiceImplementation);

  const bound = await new Promise<number>((resolve, reject) => {
    const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    server.bindAsync(address, grpcCredentials(options.tls), (error, boundPort) => (error ? reject(error) : resolve(boundPort)));
  });
  return { server, port: bound };
}

function answer(callback: sendUnaryData<Buffer>, refused: (failure: CollectorError) => void, work: () => Promise<Buffer>): void {
  work().then(
    (response) => callback(null, response),
    (error: unknown) => {
      const failure = classify(error);
      refused(failure);
      const trailers = new Metadata();
      trailers.set('grpc-status-details-bin', grpcStatusDetails(failure.grpcCode, failure.message, failure.retryAfterSeconds));
      callback({ code: failure.grpcCode as status, details: failure.message, metadata: trailers });
    },
  );
}

/** grpc.health.v1: HealthCheckRequest 1 = service; HealthCheckResponse 1 = status (1 SERVING, 2 NOT_SERVING). */
async function healthCheck(request: Buffer, options: GrpcReceiverOptions): Promise<Buffer> {
  const service = request[0] === 0x0a ? request.subarray(2, 2 + request[1]!).toString() : '';
  if (service !== '' && service !== healthService && !Object.values(exportServices).includes(service)) {
    throw collectorErrors.unknownService(service);
  }
  const ready = await options.isReady().catch(() => false);
  return Buffer.from([0x08, ready ? 1 : 2]);
}

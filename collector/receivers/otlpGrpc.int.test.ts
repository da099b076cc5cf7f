import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { request as httpsRequest } from 'node:https';
import { credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import protobuf from 'protobufjs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startCollector, type RunningCollector } from '../collector';
import { startTestFaultline, type TestFaultline } from '../../tests/support/faultline';
import { makeTestCertificates, type TestCertificates } from '../../tests/support/certificates';
import { everySignal, exportEverySignal, storedCounts } from '../../tests/support/grpcExporters';
import { grpcExportClient, otlpGrpcMethods, type GrpcExportClient } from '../../tests/support/grpcExport';
import { makeSpans, tracesProtobuf } from '../../tests/support/otlpBodies';
import { attachTraces, detachTraces, expectAcknowledgedStoredOnce, serviceTraces, storedServices } from '../../tests/support/outage';

let faultline: TestFaultline;
let certificates: TestCertificates;
let client: GrpcExportClient;

beforeAll(async () => {
  faultline = await startTestFaultline();
  certificates = makeTestCertificates();
  client = grpcExportClient(`127.0.0.1:${faultline.collector.grpcPort}`);
});
afterAll(async () => {
  client.close();
  await faultline.stop();
  certificates.remove();
});

/** An independent decoder for the `grpc-status-details-bin` trailer. */
const rpc = protobuf.parse(`
  syntax = "proto3";
  message Status { int32 code = 1; string message = 2; repeated Any details = 3; }
  message Any { string type_url = 1; bytes value = 2; }
  message RetryInfo { Duration retry_delay = 1; }
  message Duration { int64 seconds = 1; int32 nanos = 2; }
  message PartialSuccess { int64 rejected = 1; string error_message = 2; }
  message ExportResponse { PartialSuccess partial_success = 1; }
`, { keepCase: true }).root;

function retryDelaySeconds(error: ServiceError): number | undefined {
  const [details] = error.metadata.get('grpc-status-details-bin');
  const decoded = rpc.lookupType('Status').toObject(rpc.lookupType('Status').decode(details as Buffer)) as { code: number; details?: { type_url: string; value: Uint8Array }[] };
  expect(decoded.code).toBe(error.code);
  const retryInfo = decoded.details?.find((any) => any.type_url === 'type.googleapis.com/google.rpc.RetryInfo');
  if (!retryInfo) return undefined;
  const info = rpc.lookupType('RetryInfo').toObject(rpc.lookupType('RetryInfo').decode(retryInfo.value), { longs: Number }) as { retry_delay: { seconds: number } };
  return info.retry_delay.seconds;
}

const target = (collector: RunningCollector) => `127.0.0.1:${collector.grpcPort}`;

/** Another collector over the same store, with some settings changed. */
function startVariant(change: { tls?: TestFaultline['config']['tls']; ingestToken?: string; maxInflightBytes?: number; maxBodyBytes?: number; slowBatches?: boolean }) {
  return startCollector(faultline.store, {
    ...faultline.config,
    tls: change.tls,
    ingestToken: change.ingestToken,
    otlp: {
      ...faultline.config.otlp,
      port: 0,
      grpcPort: 0,
      maxInflightBytes: change.maxInflightBytes ?? faultline.config.otlp.maxInflightBytes,
      maxBodyBytes: change.maxBodyBytes ?? faultline.config.otlp.maxBodyBytes,
    },
    batch: change.slowBatches
      ? { ...faultline.config.batch, minRows: 100_000, maxRows: 100_000, maxDelayMs: 400, idleMs: 400, maxConcurrentInserts: 1 }
      : faultline.config.batch,
  });
}

describe('the OpenTelemetry JS gRPC exporters send to the OTLP/gRPC receiver', () => {
  it.each([
    ['uncompressed', undefined],
    ['gzip', CompressionAlgorithm.GZIP],
  ])('traces, logs and metrics, %s, are all stored', async (label, compression) => {
    const service = `grpc-exporters-${label}`;
    const { spansError } = await exportEverySignal(faultline.collector.grpcUrl, service, { compression });
    expect(spansError).toBeUndefined();
    expect(await storedCounts(faultline, service)).toEqual(everySignal);
  });

  it('over TLS, and over mutual TLS with a client certificate (a client without one is refused)', async () => {
    const tls = await startVariant({ tls: { certFile: certificates.serverCertFile, keyFile: certificates.serverKeyFile } });
    const mutual = await startVariant({ tls: { certFile: certificates.serverCertFile, keyFile: certificates.serverKeyFile, clientCaFile: certificates.caFile } });
    try {
      expect(tls.grpcUrl).toMatch(/^https:/);
      await exportEverySignal(tls.grpcUrl, 'grpc-tls', { credentials: credentials.createSsl(certificates.ca), compression: CompressionAlgorithm.GZIP });
      expect(await storedCounts(faultline, 'grpc-tls')).toEqual(everySignal);

      await exportEverySignal(mutual.grpcUrl, 'grpc-mtls', { credentials: credentials.createSsl(certificates.ca, certificates.clientKey, certificates.clientCert) });
      expect(await storedCounts(faultline, 'grpc-mtls')).toEqual(everySignal);

      const anonymous = grpcExportClient(target(mutual), { credentials: credentials.createSsl(certificates.ca) });
      const refused = await anonymous.call(otlpGrpcMethods.traces, serviceTraces('grpc-mtls-anonymous'));
      anonymous.close();
      expect(refused.error?.code).toBe(status.UNAVAILABLE);
      const plaintext = grpcExportClient(target(tls));
      expect((await plaintext.call(otlpGrpcMethods.traces, serviceTraces('grpc-tls-plaintext'))).error?.code).toBe(status.UNAVAILABLE);
      plaintext.close();
      expect(await storedServices(faultline, 'grpc-tls-plaintext')).toEqual(new Map());
      expect(await storedServices(faultline, 'grpc-mtls-anonymous')).toEqual(new Map());
    } finally {
      await Promise.all([tls.stop(), mutual.stop()]);
    }
  });

  it('with FAULTLINE_INGEST_TOKEN, sending `authorization: Bearer <token>`', async () => {
    const guarded = await startVariant({ ingestToken: 's3cret' });
    try {
      const metadata = new Metadata();
      metadata.set('authorization', 'Bearer s3cret');
      await exportEverySignal(guarded.grpcUrl, 'grpc-token', { metadata });
      expect(await storedCounts(faultline, 'grpc-token')).toEqual(everySignal);
    } finally {
      await guarded.stop();
    }
  });
});

describe('the HTTP receivers over TLS', () => {
  it('serve HTTPS with the same certificate, and mutual TLS with a client CA: OTLP/HTTP and Zipkin alike', async () => {
    const mutual = await startVariant({ tls: { certFile: certificates.serverCertFile, keyFile: certificates.serverKeyFile, clientCaFile: certificates.caFile } });
    const post = (url: string, contentType: string, body: Buffer, clientCertificate: boolean) =>
      new Promise<number>((resolve, reject) => {
        const request = httpsRequest(url, {
          method: 'POST',
          headers: { 'Content-Type': contentType },
          ca: certificates.ca,
          ...(clientCertificate ? { cert: certificates.clientCert, key: certificates.clientKey } : {}),
        });
        request.on('response', (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.on('error', reject);
        request.end(body);
      });
    const otlp = (service: string, clientCertificate: boolean) => post(`${mutual.url}/v1/traces`, 'application/x-protobuf', serviceTraces(service), clientCertificate);
    const zipkinSpan = (service: string) =>
      Buffer.from(JSON.stringify([{ traceId: '463ac35c9f6413ad48485a3953bb6124', id: 'a2fb4a1d1a96d312', name: 'get', timestamp: Date.now() * 1000, duration: 10, localEndpoint: { serviceName: service } }]));
    const zipkin = (service: string, clientCertificate: boolean) => post(`${mutual.zipkinUrl}/api/v2/spans`, 'application/json', zipkinSpan(service), clientCertificate);
    try {
      expect(mutual.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(mutual.zipkinUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(await otlp('https-mtls', true)).toBe(200);
      expect(await zipkin('https-zipkin-mtls', true)).toBe(202);
      await expect(otlp('https-anonymous', false)).rejects.toThrow();
      await expect(zipkin('https-zipkin-anonymous', false)).rejects.toThrow();
      expect(await storedServices(faultline, 'https-')).toEqual(new Map([['https-mtls', 20], ['https-zipkin-mtls', 1]]));
    } finally {
      await mutual.stop();
    }
  });
});

describe('OTLP/gRPC answers', () => {
  it('an Export*ServiceResponse with partial_success when some spans were invalid, after storing the valid ones', async () => {
    const [good, bad] = makeSpans({ service: 'grpc-partial', spans: 2 }) as [ReadableSpan, ReadableSpan];
    const noSpanId: ReadableSpan = Object.assign(Object.create(bad) as ReadableSpan, { spanContext: () => ({ ...bad.spanContext(), spanId: '' }) });
    const answer = await client.call(otlpGrpcMethods.traces, tracesProtobuf([good, noSpanId]));
    expect(answer.error).toBeUndefined();
    const response = rpc.lookupType('ExportResponse').toObject(rpc.lookupType('ExportResponse').decode(answer.response!), { longs: Number });
    expect(response).toMatchObject({ partial_success: { rejected: 1, error_message: expect.stringMatching(/span_id/) as unknown } });
    expect(await storedServices(faultline, 'grpc-partial')).toEqual(new Map([['grpc-partial', 1]]));
  });

  it('INVALID_ARGUMENT for a message that is not OTLP, and nothing is stored', async () => {
    const before = await faultline.query<{ n: string }>('SELECT count() AS n FROM faultline.otel_traces');
    const answer = await client.call(otlpGrpcMethods.traces, Buffer.from([0x0a, 0xff, 0xff, 0x03, 0x01, 0x02]));
    expect(answer.error?.code).toBe(status.INVALID_ARGUMENT);
    expect(answer.error?.details).toMatch(/truncated|protobuf/);
    expect(retryDelaySeconds(answer.error!)).toBeUndefined();
    expect(await faultline.query<{ n: string }>('SELECT count() AS n FROM faultline.otel_traces')).toEqual(before);
  });

  it('UNAVAILABLE with RetryInfo while ClickHouse is down, and nothing of that request is stored', async () => {
    await detachTraces(faultline);
    let answer;
    try {
      answer = await client.call(otlpGrpcMethods.traces, serviceTraces('grpc-down'));
    } finally {
      await attachTraces(faultline);
    }
    expect(answer.error?.code).toBe(status.UNAVAILABLE);
    expect(retryDelaySeconds(answer.error!)).toBe(5);
    expect(await storedServices(faultline, 'grpc-down')).toEqual(new Map());
  });

  it('RESOURCE_EXHAUSTED with RetryInfo at the in-flight memory limit, and OK again later', async () => {
    const body = serviceTraces('grpc-limited');
    const limited = await startVariant({ maxInflightBytes: body.length * 4, slowBatches: true });
    const limitedClient = grpcExportClient(target(limited));
    try {
      const first = limitedClient.call(otlpGrpcMethods.traces, body);
      while (limited.pipeline.inflightBytes === 0) await new Promise((resolve) => setTimeout(resolve, 2));
      const second = await limitedClient.call(otlpGrpcMethods.traces, body);
      expect(second.error?.code).toBe(status.RESOURCE_EXHAUSTED);
      expect(retryDelaySeconds(second.error!)).toBe(1);
      expect((await first).error).toBeUndefined();
      expect((await limitedClient.call(otlpGrpcMethods.traces, body)).error).toBeUndefined();
    } finally {
      limitedClient.close();
      await limited.stop();
    }
  });

  it('RESOURCE_EXHAUSTED for a message over FAULTLINE_MAX_BODY_BYTES, gzip-compressed or not', async () => {
    const body = serviceTraces('grpc-too-large');
    const small = await startVariant({ maxBodyBytes: body.length - 1 });
    const plain = grpcExportClient(target(small));
    const gzip = grpcExportClient(target(small), { gzip: true });
    try {
      expect(gzipSync(body).length).toBeLessThan(body.length - 1);
      const plainAnswer = await plain.call(otlpGrpcMethods.traces, body);
      expect(plainAnswer.error?.code).toBe(status.RESOURCE_EXHAUSTED);
      // Sent compressed (smaller than the limit), refused once inflated.
      const gzipAnswer = await gzip.call(otlpGrpcMethods.traces, body);
      expect(gzipAnswer.error?.code).toBe(status.RESOURCE_EXHAUSTED);
      expect(gzipAnswer.error?.details).toMatch(/decompresses to a size larger than/);
      expect((await gzip.call(otlpGrpcMethods.traces, tracesProtobuf(makeSpans({ service: 'grpc-small', spans: 1 })))).error).toBeUndefined();
      expect(await storedServices(faultline, 'grpc-too-large')).toEqual(new Map());
      expect(await storedServices(faultline, 'grpc-small')).toEqual(new Map([['grpc-small', 1]]));
    } finally {
      plain.close();
      gzip.close();
      await small.stop();
    }
  });

  it('UNAUTHENTICATED for a missing or wrong bearer token when FAULTLINE_INGEST_TOKEN is set', async () => {
    const guarded = await startVariant({ ingestToken: 's3cret' });
    const guardedClient = grpcExportClient(target(guarded));
    try {
      for (const headers of [{}, { authorization: 'Bearer wrong!' }, { authorization: 's3cret' }] as Record<string, string>[]) {
        const answer = await guardedClient.call(otlpGrpcMethods.traces, serviceTraces('grpc-no-token'), headers);
        expect(answer.error?.code).toBe(status.UNAUTHENTICATED);
      }
      expect((await guardedClient.call(otlpGrpcMethods.traces, serviceTraces('grpc-token-raw'), { authorization: 'Bearer s3cret' })).error).toBeUndefined();
      expect(await storedServices(faultline, 'grpc-no-token')).toEqual(new Map());
    } finally {
      guardedClient.close();
      await guarded.stop();
    }
  });

  it('grpc.health.v1.Health/Check: SERVING once the store is migrated, NOT_FOUND for a service it does not have', async () => {
    const serving = await client.call(otlpGrpcMethods.health, Buffer.alloc(0));
    expect(serving.response).toEqual(Buffer.from([0x08, 1]));
    const trace = Buffer.from('opentelemetry.proto.collector.trace.v1.TraceService');
    expect((await client.call(otlpGrpcMethods.health, Buffer.concat([Buffer.from([0x0a, trace.length]), trace]))).response).toEqual(Buffer.from([0x08, 1]));
    const unknown = await client.call(otlpGrpcMethods.health, Buffer.from([0x0a, 0x03, 0x66, 0x6f, 0x6f]));
    expect(unknown.error?.code).toBe(status.NOT_FOUND);
  });
});

describe('over gRPC, while the store comes and goes', () => {
  it('every request answered OK is in the store, complete, exactly once', async () => {
    await expectAcknowledgedStoredOnce(faultline, 'grpc-flaky-', async (service) => {
      const answer = await client.call(otlpGrpcMethods.traces, serviceTraces(service));
      if (!answer.error) return 'acknowledged';
      if (answer.error.code === status.UNAVAILABLE && retryDelaySeconds(answer.error) === 5) return 'refused';
      throw answer.error;
    });
  });
});

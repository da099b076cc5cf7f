/**
 * One fuzz case: a request to one of the collector's receivers (OTLP/HTTP, Zipkin, OTLP/gRPC), its
 * body valid (then `tracked`: its items must be stored once it is acknowledged) or broken by one of
 * the mutations of `./mutations`.
 */
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { otlpGrpcMethods } from '../../tests/support/grpcExport';
import { byteMutation, gzipMutation, jsonLinesMutation, jsonMutation, protobufShape, type Mutated } from './mutations';
import { validBody, type Tracked, type ValidBody } from './validBodies';

export type FuzzCase = {
  /** Signal, encoding and mutation, e.g. `traces protobuf bit flip`: the statistics' key. */
  kind: string;
  transport: 'otlpHttp' | 'zipkin' | 'grpc';
  /** The HTTP path, or the gRPC method's path. */
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  /** Over gRPC: compress the message with gzip. */
  grpcGzip?: boolean;
  tracked?: Tracked;
};

function httpRequest(valid: ValidBody): Pick<FuzzCase, 'transport' | 'path' | 'headers'> {
  if (valid.encoding === 'zipkin') return { transport: 'zipkin', path: '/api/v2/spans', headers: { 'Content-Type': 'application/json' } };
  if (valid.encoding === 'jsonLines') return { transport: 'otlpHttp', path: '/v1/logs/json', headers: { 'Content-Type': 'application/x-ndjson' } };
  const contentType = valid.encoding === 'protobuf' ? 'application/x-protobuf' : 'application/json';
  return { transport: 'otlpHttp', path: `/v1/${valid.signal}`, headers: { 'Content-Type': contentType } };
}

function mutationsOf(valid: ValidBody): fc.Arbitrary<Mutated> {
  if (valid.encoding === 'protobuf') return fc.oneof({ weight: 4, arbitrary: byteMutation(valid.body) }, protobufShape);
  if (valid.encoding === 'jsonLines') return jsonLinesMutation(valid.body.toString());
  return jsonMutation(valid.body.toString());
}

function casesOf(valid: ValidBody, maxBodyBytes: number): fc.Arbitrary<FuzzCase> {
  const request = httpRequest(valid);
  const name = `${valid.signal} ${valid.encoding}`;
  const withGzip = { ...request.headers, 'Content-Encoding': 'gzip' };
  const cases: fc.WeightedArbitrary<FuzzCase>[] = [
    { weight: 3, arbitrary: fc.constant({ ...request, kind: `${name} valid`, body: valid.body, tracked: valid.tracked }) },
    { weight: 1, arbitrary: fc.constant({ ...request, kind: `${name} valid gzip`, headers: withGzip, body: gzipSync(valid.body), tracked: valid.tracked }) },
    { weight: 6, arbitrary: mutationsOf(valid).map(({ mutation, body }) => ({ ...request, kind: `${name} ${mutation}`, body })) },
    { weight: 1, arbitrary: gzipMutation(valid.body, maxBodyBytes).map(({ mutation, body }) => ({ ...request, kind: `${name} ${mutation}`, headers: withGzip, body })) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom<Record<string, string>>({ 'Content-Type': 'text/html' }, { 'Content-Type': '' }, { ...request.headers, 'Content-Encoding': 'br' }, { ...request.headers, 'Content-Encoding': 'gzip, gzip' })
        .map((headers) => ({ ...request, kind: `${name} odd headers`, headers, body: valid.body })),
    },
  ];
  if (valid.encoding === 'protobuf') {
    const grpc = { transport: 'grpc' as const, path: otlpGrpcMethods[valid.signal], headers: {} };
    cases.push(
      { weight: 2, arbitrary: fc.boolean().map((grpcGzip) => ({ ...grpc, kind: `${valid.signal} grpc valid`, body: valid.body, grpcGzip, tracked: valid.tracked })) },
      { weight: 4, arbitrary: fc.tuple(mutationsOf(valid), fc.boolean()).map(([{ mutation, body }, grpcGzip]) => ({ ...grpc, kind: `${valid.signal} grpc ${mutation}`, body, grpcGzip })) },
    );
  }
  return fc.oneof(...cases);
}

/** Every fuzz case, for a collector whose body limit (`FAULTLINE_MAX_BODY_BYTES`) is `maxBodyBytes`. */
export function fuzzCase(maxBodyBytes: number): fc.Arbitrary<FuzzCase> {
  return validBody.chain((valid) => casesOf(valid, maxBodyBytes));
}

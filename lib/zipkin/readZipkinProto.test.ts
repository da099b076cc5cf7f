import { describe, expect, it } from 'vitest';
import { zipkinProtobuf, type JsonSpan } from '../../tests/support/zipkinProto';
import { readZipkinJson } from './readZipkinJson';
import { readZipkinProto } from './readZipkinProto';

const spans: JsonSpan[] = [
  {
    traceId: '5af7183fb1d4cf5f',
    id: '352bff9a74ca9ad2',
    parentId: '6b221d5bc9e6496c',
    name: 'post /pay',
    kind: 'CLIENT',
    timestamp: 1_700_000_000_123_456,
    duration: 2_500,
    localEndpoint: { serviceName: 'frontend', ipv4: '192.168.1.2', port: 8080 },
    remoteEndpoint: { serviceName: 'payment', ipv6: '2001:db8::c001', port: 9000 },
    annotations: [{ timestamp: 1_700_000_000_124_000, value: 'ws' }],
    tags: { 'http.path': '/pay', error: 'connection refused' },
  },
  { traceId: '463ac35c9f6413ad48485a3953bb6124', id: 'a2fb4a1d1a96d312', name: 'get', kind: 'SERVER', shared: true, debug: true, localEndpoint: { serviceName: 'payment' } },
  { traceId: '463ac35c9f6413ad48485a3953bb6124', id: 'b2fb4a1d1a96d312', kind: 'CONSUMER', timestamp: 1_700_000_000_200_000 },
];

function decodeError(body: Buffer): string {
  try {
    readZipkinProto(body);
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
}

describe('Zipkin v2 protobuf (ListOfSpans)', () => {
  it('reads into the same spans as the same list in JSON', () => {
    const fromProto = readZipkinProto(zipkinProtobuf(spans));
    expect(fromProto).toEqual(readZipkinJson(Buffer.from(JSON.stringify(spans))));
    expect(fromProto.map((span) => [span.traceId, span.kind, span.timestampMicros])).toEqual([
      ['00000000000000005af7183fb1d4cf5f', 'CLIENT', 1_700_000_000_123_456n],
      ['463ac35c9f6413ad48485a3953bb6124', 'SERVER', undefined],
      ['463ac35c9f6413ad48485a3953bb6124', 'CONSUMER', 1_700_000_000_200_000n],
    ]);
  });

  it('refuses bad ids and truncated bodies naming the span and field', () => {
    expect(decodeError(zipkinProtobuf([spans[0]!, { ...spans[1]!, id: 'a2fb4a1d' }]))).toBe('[1].id: expected 8 bytes, not all zero, got 4');
    expect(decodeError(zipkinProtobuf([{ ...spans[1]!, traceId: '' }]))).toBe('[0].traceId: missing');
    expect(decodeError(zipkinProtobuf([{ ...spans[1]!, traceId: '0000000000000000' }]))).toBe('[0].traceId: expected 8 or 16 bytes, not all zero, got 8');
    const whole = zipkinProtobuf(spans);
    expect(decodeError(whole.subarray(0, whole.length - 3))).toMatch(/truncated protobuf message/);
  });
});

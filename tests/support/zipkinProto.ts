/**
 * Zipkin v2 protobuf bodies for tests, encoded by protobufjs from an independent copy of
 * zipkin-api's zipkin.proto field numbers, so a test checks the reader against the schema rather
 * than against itself. Spans are given as in Zipkin's JSON (hex ids, microseconds, dotted addresses).
 */
import { isIPv4 } from 'node:net';
import protobuf from 'protobufjs';

const schema = `
syntax = "proto3";
package zipkin.proto3;
message Span {
  bytes trace_id = 1; bytes parent_id = 2; bytes id = 3;
  enum Kind { SPAN_KIND_UNSPECIFIED = 0; CLIENT = 1; SERVER = 2; PRODUCER = 3; CONSUMER = 4; }
  Kind kind = 4; string name = 5; fixed64 timestamp = 6; uint64 duration = 7;
  Endpoint local_endpoint = 8; Endpoint remote_endpoint = 9;
  repeated Annotation annotations = 10; map<string, string> tags = 11; bool debug = 12; bool shared = 13;
}
message Endpoint { string service_name = 1; bytes ipv4 = 2; bytes ipv6 = 3; int32 port = 4; }
message Annotation { fixed64 timestamp = 1; string value = 2; }
message ListOfSpans { repeated Span spans = 1; }
`;

const listType = protobuf.parse(schema).root.lookupType('zipkin.proto3.ListOfSpans');

type JsonEndpoint = { serviceName?: string; ipv4?: string; ipv6?: string; port?: number };
export type JsonSpan = {
  traceId: string;
  id: string;
  parentId?: string;
  name?: string;
  kind?: string;
  timestamp?: number;
  duration?: number;
  localEndpoint?: JsonEndpoint;
  remoteEndpoint?: JsonEndpoint;
  annotations?: { timestamp: number; value: string }[];
  tags?: Record<string, string>;
  shared?: boolean;
  debug?: boolean;
};

const hex = (id: string | undefined) => (id ? Buffer.from(id, 'hex') : undefined);

function ipv6Bytes(address: string): Buffer {
  const [head = '', tail = ''] = address.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups] : headGroups;
  return Buffer.from(groups.flatMap((group) => [parseInt(group, 16) >> 8, parseInt(group, 16) & 0xff]));
}

function endpoint(value: JsonEndpoint | undefined) {
  if (!value) return undefined;
  return {
    serviceName: value.serviceName,
    ipv4: value.ipv4 && isIPv4(value.ipv4) ? Buffer.from(value.ipv4.split('.').map(Number)) : undefined,
    ipv6: value.ipv6 ? ipv6Bytes(value.ipv6) : undefined,
    port: value.port,
  };
}

export function zipkinProtobuf(spans: JsonSpan[]): Buffer {
  const message = {
    spans: spans.map((span) => ({
      traceId: hex(span.traceId),
      parentId: hex(span.parentId),
      id: hex(span.id),
      kind: span.kind,
      name: span.name,
      timestamp: span.timestamp,
      duration: span.duration,
      localEndpoint: endpoint(span.localEndpoint),
      remoteEndpoint: endpoint(span.remoteEndpoint),
      annotations: span.annotations,
      tags: span.tags,
      debug: span.debug,
      shared: span.shared,
    })),
  };
  return Buffer.from(listType.encode(listType.fromObject(message)).finish());
}

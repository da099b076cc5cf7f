/**
 * Hand-built OTLP/protobuf trace and log requests, and a decoder for the Export*ServiceResponse
 * bodies of all three signals. Like `otlpMetricsProto.ts`, the schema is an independent encoding of
 * opentelemetry-proto's field numbers (collector/{trace,logs,metrics}/v1), so a test checks the
 * collector's hand-written encoder and decoders against the specification, not against themselves.
 */
import protobuf from 'protobufjs';
import type { Signal } from '../../collector/receivers/otlpResponses';

const schema = `
syntax = "proto3";
package faultline.test;

message AnyValue { oneof value { string string_value = 1; } }
message KeyValue { string key = 1; AnyValue value = 2; }
message Resource { repeated KeyValue attributes = 1; }
message InstrumentationScope { string name = 1; string version = 2; }

message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
message Span {
  bytes trace_id = 1;
  bytes span_id = 2;
  string name = 5;
  int32 kind = 6;
  fixed64 start_time_unix_nano = 7;
  fixed64 end_time_unix_nano = 8;
}

message ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }
message ResourceLogs { Resource resource = 1; repeated ScopeLogs scope_logs = 2; }
message ScopeLogs { InstrumentationScope scope = 1; repeated LogRecord log_records = 2; }
message LogRecord {
  fixed64 time_unix_nano = 1;
  int32 severity_number = 2;
  string severity_text = 3;
  AnyValue body = 5;
  bytes trace_id = 9;
  bytes span_id = 10;
}

message ExportTracePartialSuccess { int64 rejected_spans = 1; string error_message = 2; }
message ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1; }
message ExportLogsPartialSuccess { int64 rejected_log_records = 1; string error_message = 2; }
message ExportLogsServiceResponse { ExportLogsPartialSuccess partial_success = 1; }
message ExportMetricsPartialSuccess { int64 rejected_data_points = 1; string error_message = 2; }
message ExportMetricsServiceResponse { ExportMetricsPartialSuccess partial_success = 1; }
`;

const root = protobuf.parse(schema).root;

function encode(typeName: string, request: Record<string, unknown>): Buffer {
  const type = root.lookupType(`faultline.test.${typeName}`);
  return Buffer.from(type.encode(type.fromObject(request)).finish());
}

/** Encodes an ExportTraceServiceRequest given in protobufjs's object form (camelCase, bytes as Buffers). */
export const encodeTracesRequest = (request: Record<string, unknown>) => encode('ExportTraceServiceRequest', request);

/** Encodes an ExportLogsServiceRequest given in protobufjs's object form. */
export const encodeLogsRequest = (request: Record<string, unknown>) => encode('ExportLogsServiceRequest', request);

const responseTypes: Record<Signal, string> = {
  traces: 'ExportTraceServiceResponse',
  logs: 'ExportLogsServiceResponse',
  metrics: 'ExportMetricsServiceResponse',
};

/** An Export*ServiceResponse as a plain object: camelCase fields, int64 as decimal strings, unset fields left out. */
export function decodeExportResponse(signal: Signal, body: Uint8Array): Record<string, unknown> {
  const type = root.lookupType(`faultline.test.${responseTypes[signal]}`);
  return type.toObject(type.decode(body), { longs: String });
}

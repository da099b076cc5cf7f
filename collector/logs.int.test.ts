import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { LoggerProvider, SimpleLogRecordProcessor, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { OTLPLogExporter as OTLPLogExporterJson } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OTLPLogExporterProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { startTestFaultline, type TestFaultline } from '../tests/support/faultline';

let faultline: TestFaultline;

beforeAll(async () => {
  faultline = await startTestFaultline();
});
afterAll(async () => {
  await faultline.stop();
});

type StoredLog = {
  Timestamp: string;
  TraceId: string;
  SpanId: string;
  TraceFlags: number;
  SeverityText: string;
  SeverityNumber: number;
  ServiceName: string;
  Body: string;
  ResourceAttributes: Record<string, string>;
  ScopeName: string;
  ScopeVersion: string;
  LogAttributes: Record<string, string>;
  EventName: string;
};

// Ten minutes ago: inside the retention window whatever the date.
const logTimeMs = Date.now() - 600_000;
const traceId = '0af7651916cd43dd8448eb211c80319c';
const spanId = 'b7ad6b7169203331';

async function sendLog(exporter: LogRecordExporter, serviceName: string) {
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName, 'service.version': '0.4.0' }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger('payment-logger', '2.0.0');
  const spanContext = { traceId, spanId, traceFlags: TraceFlags.SAMPLED };
  logger.emit({
    timestamp: logTimeMs,
    severityNumber: SeverityNumber.ERROR,
    severityText: 'ERROR',
    body: 'card declined',
    attributes: { 'user.id': 'u-42', latency_ms: 87.5, retried: true, codes: [51, 5] },
    context: trace.setSpanContext(context.active(), spanContext),
    eventName: 'payment.declined',
  });
  await provider.forceFlush();
  await provider.shutdown();
}

function storedLogs(serviceName: string): Promise<StoredLog[]> {
  return faultline.query<StoredLog>(
    `SELECT *, toString(toUnixTimestamp64Nano(Timestamp)) AS Timestamp FROM faultline.otel_logs WHERE ServiceName = {serviceName:String}`,
    { serviceName },
  );
}

describe.each([
  ['OTLP/HTTP JSON', 'logs-json', (url: string) => new OTLPLogExporterJson({ url: `${url}/v1/logs` })],
  ['OTLP/HTTP protobuf', 'logs-proto', (url: string) => new OTLPLogExporterProto({ url: `${url}/v1/logs` })],
])('log records sent by the official %s exporter', (_name, serviceName, makeExporter) => {
  let logs: StoredLog[];

  beforeAll(async () => {
    await sendLog(makeExporter(faultline.otlpEndpoint), serviceName);
    logs = await storedLogs(serviceName);
  });

  it('are stored once with their time, severity and body', () => {
    expect(logs.map((log) => [log.Timestamp, log.SeverityText, log.SeverityNumber, log.Body])).toEqual([
      [(BigInt(logTimeMs) * 1_000_000n).toString(), 'ERROR', 17, 'card declined'],
    ]);
  });

  it('carry the trace and span they were written in', () => {
    expect([logs[0]!.TraceId, logs[0]!.SpanId, logs[0]!.TraceFlags]).toEqual([traceId, spanId, 1]);
  });

  it('keep attributes, resource, scope and event name', () => {
    const log = logs[0]!;
    expect(log.LogAttributes).toEqual({ 'user.id': 'u-42', latency_ms: '87.5', retried: 'true', codes: '[51,5]' });
    expect(log.ResourceAttributes).toMatchObject({ 'service.name': serviceName, 'service.version': '0.4.0' });
    expect([log.ScopeName, log.ScopeVersion, log.EventName]).toEqual(['payment-logger', '2.0.0', 'payment.declined']);
  });
});

import { SeverityNumber } from '@opentelemetry/api-logs';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestTelemetry } from './testTelemetry';

describe('pino → OpenTelemetry logs', () => {
  const telemetry = createTestTelemetry('order');
  afterEach(() => telemetry.logRecords.reset());

  it('carries the line’s trace and span ids as the record’s context', () => {
    telemetry.logger.info({ trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: 'b7ad6b7169203331' }, 'order created');
    const [record] = telemetry.logRecords.getFinishedLogRecords();
    expect(record?.spanContext?.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(record?.spanContext?.spanId).toBe('b7ad6b7169203331');
    expect(record?.attributes.trace_id).toBeUndefined();
  });

  it('maps the pino level to severity and msg to the body', () => {
    telemetry.logger.warn({ latency_ms: 12.5, user_id: 'u001' }, 'slow request');
    const [record] = telemetry.logRecords.getFinishedLogRecords();
    expect(record?.severityNumber).toBe(SeverityNumber.WARN);
    expect(record?.severityText).toBe('WARN');
    expect(record?.body).toBe('slow request');
    expect(record?.attributes).toMatchObject({ latency_ms: 12.5, user_id: 'u001', service_name: 'order' });
  });

  it('turns an `event` field into the record’s event name and renders objects as JSON', () => {
    telemetry.logger.info({ event: 'payment.declined', details: { code: 'insufficient_funds' } }, 'declined');
    const [record] = telemetry.logRecords.getFinishedLogRecords();
    expect(record?.eventName).toBe('payment.declined');
    expect(record?.attributes.details).toBe('{"code":"insufficient_funds"}');
  });
});

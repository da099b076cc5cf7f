import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { startTestFaultline, type TestFaultline } from '@/tests/support/faultline';
import { listFindings } from './findings';

/**
 * A misconfiguration switched on within the range (a demo flag, a deploy) must be found although the
 * calls before it ran with a sound configuration on the same edge.
 */
let faultline: TestFaultline;
const now = Date.now();
const range = { from: now - 600_000, to: now + 60_000 };
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const rows: Record<string, unknown>[] = [];

function call(service: string, peer: string, guard: Record<string, number>, calleeMs: number, error: boolean) {
  const traceId = hex(16);
  const [guardId, clientId] = [hex(8), hex(8)];
  const row = (spanId: string, parent: string, serviceName: string, name: string, kind: string, attributes: Record<string, string>) =>
    rows.push({
      Timestamp: new Date(now - 300_000 + rows.length).toISOString(),
      TraceId: traceId,
      SpanId: spanId,
      ParentSpanId: parent,
      ServiceName: serviceName,
      SpanName: name,
      SpanKind: kind,
      Duration: calleeMs * 1e6,
      StatusCode: error ? 'Error' : 'Unset',
      SpanAttributes: attributes,
    });
  const configured = Object.fromEntries(Object.entries(guard).map(([key, value]) => [key, String(value)]));
  row(guardId, '', service, `${peer} work`, 'Internal', { 'peer.service': peer, 'resilience.circuit_breaker.name': `${service}->${peer}`, ...configured });
  row(clientId, guardId, service, 'POST', 'Client', { 'server.address': '127.0.0.1' });
  row(hex(8), clientId, peer, 'POST /work', 'Server', {});
}

beforeAll(async () => {
  faultline = await startTestFaultline();
  for (let i = 0; i < 40; i++) {
    // Sound before, misconfigured after: many healthy calls, then 25 with the bad setting.
    call('gateway', 'order', { 'resilience.timeout.ms': 4000, 'resilience.retry.max_attempts': 1, 'resilience.retry.attempt': 0 }, 30, false);
    call('order', 'inventory', { 'resilience.timeout.ms': 800, 'resilience.retry.max_attempts': 3, 'resilience.retry.attempt': 0 }, 5, false);
  }
  for (let i = 0; i < 25; i++) {
    call('gateway', 'order', { 'resilience.timeout.ms': 10, 'resilience.retry.max_attempts': 1, 'resilience.retry.attempt': 0 }, 30, false);
    call('order', 'inventory', { 'resilience.timeout.ms': 800, 'resilience.retry.max_attempts': 10, 'resilience.retry.attempt': 9 }, 5, true);
  }
  await faultline.store.client.insert({
    table: `${faultline.store.database}.otel_traces`,
    values: rows,
    format: 'JSONEachRow',
    clickhouse_settings: { date_time_input_format: 'best_effort' },
  });
});

afterAll(async () => {
  await faultline?.stop();
});

describe('a configuration changed within the range', () => {
  it('is judged by the calls that ran with it', async () => {
    const { findings } = await listFindings(faultline.store, range);
    expect(findings.find((finding) => finding.kind === 'timeout_inversion')).toMatchObject({ service: 'gateway', peerService: 'order', configured: { timeoutMs: 10 } });
    expect(findings.find((finding) => finding.kind === 'retry_amplification')).toMatchObject({
      service: 'order',
      peerService: 'inventory',
      configured: { maxAttempts: 10 },
      observed: { amplification: 10, errorRate: 1 },
    });
  });

  it('and the sound calls alone say nothing', async () => {
    const { findings } = await listFindings(faultline.store, { from: range.from, to: now - 300_000 + 160 });
    expect(findings).toEqual([]);
  });
});

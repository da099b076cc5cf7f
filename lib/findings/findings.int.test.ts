import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFaultline, type TestFaultline } from '@/tests/support/faultline';
import { FixtureSpans, hex } from '@/tests/support/findingSpans';
import type { Finding } from '../contract/findings';
import { migrateQueryViews } from '../clickhouse/queryViews';
import { sql } from '../clickhouse/sql';
import { listFindings } from './findings';
import { edgeKey, guardedEvidence } from './spanRows';

let faultline: TestFaultline;
const now = Date.now();
const range = { from: now - 600_000, to: now + 60_000 };
const spans = new FixtureSpans(now - 120_000);

const calls = 25;
const traces: Record<string, string[]> = {};
const trace = (kind: string) => {
  const id = hex(16);
  (traces[kind] ??= []).push(id);
  return id;
};

beforeAll(async () => {
  faultline = await startTestFaultline();
  for (let i = 0; i < calls; i++) {
    // Misconfigured: each kind once.
    spans.guardedCall(trace('timeout'), 'gateway', 'order', { 'resilience.timeout.ms': 100, 'resilience.retry.attempt': 0 }, 300);
    spans.guardedCall(trace('storm'), 'order', 'inventory', { 'resilience.timeout.ms': 50, 'resilience.retry.attempt': 4, 'resilience.retry.max_attempts': 5 }, 20, true);
    spans.span({ traceId: trace('unguarded'), service: 'payment', name: 'POST /score', kind: 'Client', durationMs: 80, attributes: { 'peer.service': 'fraud-api' } });
    spans.guardedCall(trace('bulkhead'), 'notification', 'email-provider', { 'resilience.timeout.ms': 2000, 'resilience.retry.attempt': 0, 'resilience.bulkhead.limit': 2, 'resilience.bulkhead.queue': 1, ...(i < 3 ? {} : { 'resilience.bulkhead.queue_wait_ms': 0 }) }, 30);
    spans.guardedCall(trace('nonIdempotent'), 'payment', 'payment-provider', { 'resilience.timeout.ms': 2000, 'resilience.idempotent': false, 'resilience.retry.attempt': i < 2 ? 1 : 0 }, 40);
    // Near misses: a timeout above the callee's answers, retries that don't multiply to 3, calls under a guard,
    // a bulkhead with short waits, idempotent retries.
    spans.guardedCall(trace('healthy'), 'user', 'profile', { 'resilience.timeout.ms': 500, 'resilience.retry.attempt': 1, 'resilience.idempotent': true, 'resilience.bulkhead.limit': 8, 'resilience.bulkhead.queue_wait_ms': 1 }, 100, true);
  }
  await spans.insert(faultline.store);
  const transitions = (breaker: string, opens: number) =>
    Array.from({ length: opens }, (_, i) => ({
      Timestamp: new Date(now - 60_000 + i).toISOString(),
      ServiceName: breaker.split('->')[0],
      EventName: 'resilience.circuit_breaker.state_change',
      Body: 'resilience.circuit_breaker.state_change',
      TraceId: i === 0 ? traces.nonIdempotent![0] : '',
      LogAttributes: { from: i === 0 ? 'closed' : 'half_open', to: 'open', 'resilience.policy.name': breaker, 'peer.service': breaker.split('->')[1] },
    }));
  await faultline.store.client.insert({
    table: `${faultline.store.database}.otel_logs`,
    values: [...transitions('payment->payment-provider', 6), ...transitions('user->profile', 4)],
    format: 'JSONEachRow',
    clickhouse_settings: { date_time_input_format: 'best_effort' },
  });
});

afterAll(async () => {
  await faultline?.stop();
});

/** The findings read from the spans alone, to compare with those read through the findings' rollups. */
let withoutRollup: Finding[] = [];

// The findings' rollups, and the spans by trace that their slow answers' callers are looked up in.
const rollups = ['faultline_trace_spans', 'faultline_service_rollup', 'faultline_guarded_calls'];

describe('findings without their rollups, as on a cluster', () => {
  // Before any read through the tables: a store that has one is remembered as having it.
  beforeAll(async () => {
    const { client, database } = faultline.store;
    for (const rollup of rollups) {
      await client.command({ query: `DROP VIEW "${database}"."${rollup}_mv"` });
      await client.command({ query: `DROP TABLE "${database}"."${rollup}"` });
    }
  });

  it('are read from the spans, and the tables are back-filled afterwards', async () => {
    ({ findings: withoutRollup } = await listFindings(faultline.store, range));
    expect(withoutRollup.map((finding) => finding.kind).sort()).toEqual(['breaker_flapping', 'bulkhead_saturation', 'retry_amplification', 'retry_not_idempotent', 'timeout_inversion', 'unguarded_dependency']);
    const { client, database } = faultline.store;
    expect(await migrateQueryViews(client, { database, retentionDays: faultline.config.retentionDays })).toEqual(rollups.flatMap((rollup) => [rollup, `${rollup}_mv`]));
  });
});

describe('findings over stored spans', () => {
  let findings: Finding[];
  beforeAll(async () => {
    ({ findings } = await listFindings(faultline.store, range));
  });

  it('are the same through the rollups as from the spans alone', () => {
    expect(findings).toEqual(withoutRollup);
  });

  const one = (kind: Finding['kind']) => {
    const found = findings.filter((finding) => finding.kind === kind);
    expect(found).toHaveLength(1);
    return found[0]!;
  };
  const fromFixture = (ids: string[], kind: string) => ids.every((id) => traces[kind]!.includes(id));

  it('find a timeout inversion, with the traces where the callee went on after the caller gave up', () => {
    const finding = one('timeout_inversion');
    expect(finding).toMatchObject({ severity: 'critical', service: 'gateway', peerService: 'order', configured: { timeoutMs: 100 }, observed: { calleeP95Ms: 300, calleeP50Ms: 300, slowShare: 1, attempts: calls } });
    expect(finding.evidenceTraceIds).toHaveLength(5);
    expect(fromFixture(finding.evidenceTraceIds, 'timeout')).toBe(true);
  });

  it('find the retry storm on order → inventory', () => {
    const finding = one('retry_amplification');
    expect(finding).toMatchObject({ severity: 'warning', service: 'order', peerService: 'inventory', observed: { amplification: 5, errorRate: 1, maxAttempts: 5 } });
    expect(fromFixture(finding.evidenceTraceIds, 'storm')).toBe(true);
  });

  it('find the unguarded dependency with its p99', () => {
    const finding = one('unguarded_dependency');
    expect(finding).toMatchObject({ service: 'payment', peerService: 'fraud-api', observed: { calls, p99Ms: 80 } });
    expect(fromFixture(finding.evidenceTraceIds, 'unguarded')).toBe(true);
  });

  it('find the flapping breaker and leave the one that opened 4 times alone', () => {
    expect(one('breaker_flapping')).toMatchObject({ service: 'payment', peerService: 'payment-provider', observed: { opens: 6, reopens: 5 }, evidenceTraceIds: [traces.nonIdempotent![0]] });
  });

  it('find the bulkhead that refused calls', () => {
    const finding = one('bulkhead_saturation');
    expect(finding).toMatchObject({ severity: 'critical', service: 'notification', observed: { rejections: 3, calls }, configured: { limit: 2 } });
    expect(fromFixture(finding.evidenceTraceIds, 'bulkhead')).toBe(true);
  });

  it('find the retries of calls marked not idempotent', () => {
    const finding = one('retry_not_idempotent');
    expect(finding).toMatchObject({ severity: 'critical', service: 'payment', peerService: 'payment-provider', observed: { retriedCalls: 2 } });
    expect(finding.evidenceTraceIds).toEqual(expect.arrayContaining(traces.nonIdempotent!.slice(0, 2)));
  });

  it('say nothing about the healthy edge, and list critical findings first', () => {
    expect(findings.filter((finding) => finding.service === 'user' || finding.peerService === 'profile')).toEqual([]);
    expect(findings.map((finding) => finding.severity)).toEqual([...findings.map((finding) => finding.severity)].sort((a, b) => ['critical', 'warning', 'info'].indexOf(a) - ['critical', 'warning', 'info'].indexOf(b)));
  });

  it("search several edges' evidence at once, each edge's traces its own", async () => {
    const storm = { service: 'order', peer: 'inventory', operation: 'inventory call' };
    const healthy = { service: 'user', peer: 'profile', operation: 'profile call' };
    const evidence = await guardedEvidence(faultline.store, range, [storm, healthy], sql`toUInt32OrZero(SpanAttributes['resilience.retry.attempt']) > 0`);
    expect(evidence.get(edgeKey(storm))).toHaveLength(5);
    expect(fromFixture(evidence.get(edgeKey(storm))!, 'storm')).toBe(true);
    expect(evidence.get(edgeKey(healthy))).toHaveLength(5);
    expect(fromFixture(evidence.get(edgeKey(healthy))!, 'healthy')).toBe(true);
  });

  it('keep to one service when asked', async () => {
    const { findings: order } = await listFindings(faultline.store, { ...range, service: 'order' });
    expect(order.map((finding) => finding.kind).sort()).toEqual(['retry_amplification', 'timeout_inversion']);
  });
});

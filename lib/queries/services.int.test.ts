import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFaultline, type TestFaultline } from '@/tests/support/faultline';
import { getServiceDependencies, getServiceSeries, listOperations, listServices } from './services';

let faultline: TestFaultline;
// Minute-aligned so series buckets are predictable; recent so retention keeps it.
const base = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
const range = { from: base, to: base + 5 * 60_000 };

type SpanInput = { at: number; trace: string; id: string; parent?: string; service: string; name: string; kind: string; ms: number; error?: boolean; attributes?: Record<string, string> };

const row = (s: SpanInput) => ({
  Timestamp: new Date(s.at).toISOString(),
  TraceId: s.trace,
  SpanId: s.id,
  ParentSpanId: s.parent ?? '',
  SpanName: s.name,
  SpanKind: s.kind,
  ServiceName: s.service,
  Duration: s.ms * 1_000_000,
  StatusCode: s.error ? 'Error' : 'Unset',
  SpanAttributes: s.attributes ?? {},
});

beforeAll(async () => {
  faultline = await startTestFaultline();
  const spans: SpanInput[] = [];
  for (let i = 0; i < 100; i++) {
    // gateway: 100 requests of 1..100 ms, every tenth an error, 50 in each of the first two minutes.
    const at = base + (i < 50 ? 1_000 : 61_000) + i;
    spans.push({ at, trace: `t${i}`, id: `g${i}`, service: 'gateway', name: 'GET /cart', kind: 'Server', ms: i + 1, error: i % 10 === 0 });
    spans.push({ at: at + 1, trace: `t${i}`, id: `c${i}`, parent: `g${i}`, service: 'gateway', name: 'call cart', kind: 'Client', ms: 0.5 });
    spans.push({ at: at + 2, trace: `t${i}`, id: `k${i}`, parent: `c${i}`, service: 'cart', name: 'GET /items', kind: 'Server', ms: 2, error: i < 4 });
  }
  // A client span to an uninstrumented dependency, a root job span, and a span outside the range.
  spans.push({ at: base + 2_000, trace: 'x', id: 'db', parent: 'k1', service: 'cart', name: 'SELECT', kind: 'Client', ms: 1, attributes: { 'db.system': 'sqlite' } });
  spans.push({ at: base + 3_000, trace: 'job', id: 'job', service: 'cart', name: 'nightly cleanup', kind: 'Internal', ms: 1000 });
  spans.push({ at: base - 60_000, trace: 'old', id: 'old', service: 'gateway', name: 'GET /cart', kind: 'Server', ms: 5000 });
  await faultline.store.client.insert({
    table: `${faultline.store.database}.otel_traces`,
    values: spans.map(row),
    format: 'JSONEachRow',
    clickhouse_settings: { date_time_input_format: 'best_effort' },
  });
});

afterAll(async () => {
  await faultline?.stop();
});

/** A histogram percentile is the bucket middle of the duration at that rank: within 1.1% of it. */
const nearRank = (ms: number) => expect.toSatisfy((value: number) => Math.abs(value / ms - 1) <= 0.011);

describe('listServices', () => {
  it('gives exact rates and error rates, and percentiles of the durations at their ranks', async () => {
    const gateway = (await listServices(faultline.store, range)).find((s) => s.service === 'gateway');
    expect(gateway).toEqual({
      service: 'gateway',
      requests: 100,
      errors: 10,
      requestRate: 100 / 300,
      errorRate: 0.1,
      spans: 200,
      p50Ms: nearRank(50),
      p95Ms: nearRank(95),
      p99Ms: nearRank(99),
    });
  });

  it('counts server and consumer spans as requests, other spans only as spans', async () => {
    const cart = (await listServices(faultline.store, range)).find((s) => s.service === 'cart');
    expect(cart).toMatchObject({ requests: 100, errors: 4, spans: 102, p50Ms: nearRank(2) });
  });

  it('counts only the spans inside a range that starts and ends mid-minute', async () => {
    // Gateway requests i = 50..74 (51..75 ms, errors at 50, 60, 70) at 61.05 s + i ms, each with a client span 1 ms later.
    const gateway = (await listServices(faultline.store, { from: base + 30_000, to: base + 61_075 })).find((s) => s.service === 'gateway');
    expect(gateway).toMatchObject({ requests: 25, errors: 3, spans: 49, p50Ms: nearRank(63), p99Ms: nearRank(75) });
  });

  it('lists nothing for a range without spans', async () => {
    expect(await listServices(faultline.store, { from: base - 3_600_000, to: base - 3_000_000 })).toEqual([]);
  });

  it('adds up hours, minutes and edge seconds, and counts spans that arrive late', async () => {
    const hour = 3_600_000;
    const h = Math.floor(base / hour) * hour - 3 * hour;
    const at = [h - 30_000, h - 90_000, h + 1_000, h + 20 * 60_000, h + hour + 5_000, h + hour + 70_000, h + 2 * hour - 1];
    const spans = at.map((time, i): SpanInput => ({ at: time, trace: `r${i}`, id: `r${i}`, service: 'rollup', name: 'GET /', kind: 'Server', ms: 10 * (i + 1) }));
    const insert = (rows: SpanInput[]) =>
      faultline.store.client.insert({
        table: `${faultline.store.database}.otel_traces`,
        values: rows.map(row),
        format: 'JSONEachRow',
        clickhouse_settings: { date_time_input_format: 'best_effort' },
      });
    await insert(spans);
    const window = { from: h - 60_000, to: h + hour + 65_000 };
    const rollup = async () => (await listServices(faultline.store, window)).find((s) => s.service === 'rollup');
    // In the window: h - 30 s (10 ms), h + 1 s (30 ms), h + 20 min (40 ms), h + 1 h + 5 s (50 ms).
    expect(await rollup()).toMatchObject({ requests: 4, spans: 4, p50Ms: nearRank(30), p99Ms: nearRank(50) });
    await insert([{ at: h + 30 * 60_000, trace: 'late', id: 'late', service: 'rollup', name: 'GET /', kind: 'Server', ms: 35, error: true }]);
    expect(await rollup()).toMatchObject({ requests: 5, errors: 1, p50Ms: nearRank(35) });
  });
});

describe('getServiceSeries', () => {
  it('buckets requests and percentiles by step and fills empty buckets', async () => {
    const series = await getServiceSeries(faultline.store, { ...range, service: 'gateway', stepSeconds: 60 });
    expect(series.points.map((p) => [p.time - base, p.requests, p.errors])).toEqual([
      [0, 50, 5],
      [60_000, 50, 5],
      [120_000, 0, 0],
      [180_000, 0, 0],
      [240_000, 0, 0],
    ]);
    expect(series.points[0]).toMatchObject({ p50Ms: 25.5, p99Ms: 49.51 });
    expect(series.points[2]).toMatchObject({ p50Ms: null, p95Ms: null, p99Ms: null });
  });
});

describe('listOperations', () => {
  it('lists every span name of the service with its kind and figures', async () => {
    const operations = await listOperations(faultline.store, { ...range, service: 'gateway' });
    expect(operations.map((o) => [o.operation, o.kind, o.calls, o.errorRate])).toEqual([
      ['GET /cart', 'Server', 100, 0.1],
      ['call cart', 'Client', 100, 0],
    ]);
  });
});

describe('getServiceDependencies', () => {
  it('finds callers and callees through parent links', async () => {
    const cart = await getServiceDependencies(faultline.store, { ...range, service: 'cart' });
    expect(cart.upstream).toEqual([{ service: 'gateway', calls: 100, errors: 4, errorRate: 0.04, external: false }]);
    expect(cart.downstream).toEqual([{ service: 'sqlite', calls: 1, errors: 0, errorRate: 0, external: true }]);
  });

  it('reads edges from at most the last hour of a longer range', async () => {
    const longRange = { from: range.to - 3 * 3_600_000, to: range.to };
    const cart = await getServiceDependencies(faultline.store, { ...longRange, service: 'cart' });
    expect([cart.from, cart.to]).toEqual([range.to - 3_600_000, range.to]);
  });

  it('counts the calls into each downstream service', async () => {
    const gateway = await getServiceDependencies(faultline.store, { ...range, service: 'gateway' });
    expect(gateway.downstream).toEqual([{ service: 'cart', calls: 100, errors: 4, errorRate: 0.04, external: false }]);
    expect(gateway.upstream).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFaultline, type TestFaultline } from '@/tests/support/faultline';
import { listBreakers } from './breakers';
import { getBreakerTimelines } from './breakerTimelines';

let faultline: TestFaultline;
const base = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
// Five minutes of telemetry exported every 10 s.
const range = { from: base, to: base + 300_000 };
const payment = { 'resilience.policy.name': 'payment->provider', 'peer.service': 'provider' };
const user = { 'resilience.policy.name': 'gateway->user', 'peer.service': 'user' };
const at = (ms: number) => new Date(ms).toISOString();
const settings = { date_time_input_format: 'best_effort' as const };

beforeAll(async () => {
  faultline = await startTestFaultline();
  const gauge: object[] = [];
  const sums: object[] = [];
  const cumulative = { success: 0, failure: 0, timeout: 0, rejected: 0 };
  for (let i = 0; i < 30; i++) {
    const time = base + i * 10_000;
    // payment's breaker: closed for 100 s, open for 100 s, closed again.
    const open = i >= 10 && i < 20;
    gauge.push({ ServiceName: 'payment', MetricName: 'resilience.circuit_breaker.state', Attributes: payment, TimeUnix: at(time), Value: open ? 2 : 0 });
    gauge.push({ ServiceName: 'gateway', MetricName: 'resilience.circuit_breaker.state', Attributes: user, TimeUnix: at(time), Value: 0 });
    if (open) cumulative.rejected += 5;
    else cumulative.success += 8;
    if (i === 9) cumulative.failure += 6;
    if (i === 29) cumulative.timeout += 2;
    for (const [outcome, value] of Object.entries(cumulative)) {
      sums.push({
        ServiceName: 'payment',
        MetricName: 'resilience.circuit_breaker.calls',
        Attributes: { ...payment, outcome },
        StartTimeUnix: at(base - 1_000),
        TimeUnix: at(time),
        Value: value,
        AggregationTemporality: 2,
        IsMonotonic: true,
      });
    }
    // gateway's counter is delta: 3 successes and 1 failure per export.
    for (const [outcome, value] of [['success', 3], ['failure', 1]] as const) {
      sums.push({
        ServiceName: 'gateway',
        MetricName: 'resilience.circuit_breaker.calls',
        Attributes: { ...user, outcome },
        StartTimeUnix: at(time - 10_000),
        TimeUnix: at(time),
        Value: value,
        AggregationTemporality: 1,
        IsMonotonic: true,
      });
    }
  }
  const { client, database } = faultline.store;
  await client.insert({ table: `${database}.otel_metrics_gauge`, values: gauge, format: 'JSONEachRow', clickhouse_settings: settings });
  await client.insert({ table: `${database}.otel_metrics_sum`, values: sums, format: 'JSONEachRow', clickhouse_settings: settings });
  // The exact moments, between gauge exports, including a half-open spell the gauge never saw.
  // Written as an SDK log bridge writes events (EventName), or as pino does (the event as the message).
  const transition = (ms: number, from: string, to: string, asMessage = false) => ({
    Timestamp: at(ms),
    ServiceName: 'payment',
    EventName: asMessage ? '' : 'resilience.circuit_breaker.state_change',
    Body: asMessage ? 'resilience.circuit_breaker.state_change' : `breaker ${from} -> ${to}`,
    LogAttributes: { 'resilience.policy.name': 'payment->provider', from, to },
  });
  await client.insert({
    table: `${database}.otel_logs`,
    values: [transition(base + 95_000, 'closed', 'open'), transition(base + 195_000, 'open', 'half_open'), transition(base + 197_000, 'half_open', 'closed', true)],
    format: 'JSONEachRow',
    clickhouse_settings: settings,
  });
});

afterAll(async () => {
  await faultline?.stop();
});

describe('listBreakers', () => {
  it('reports each breaker’s latest state and peer', async () => {
    const board = await listBreakers(faultline.store, range);
    expect(board.breakers.map((b) => [b.service, b.name, b.peer, b.state])).toEqual([
      ['gateway', 'gateway->user', 'user', 'closed'],
      ['payment', 'payment->provider', 'provider', 'closed'],
    ]);
  });

  it('turns cumulative counters into exact call counts by outcome', async () => {
    const payment = (await listBreakers(faultline.store, range)).breakers.find((b) => b.service === 'payment');
    expect(payment?.total).toEqual({
      success: 160,
      failure: 6,
      timeout: 2,
      rejected: 50,
      calls: 218,
      callsPerSecond: 218 / 300,
      failureRate: 8 / 168,
    });
  });

  it('sums delta counters as they are', async () => {
    const gateway = (await listBreakers(faultline.store, range)).breakers.find((b) => b.service === 'gateway');
    expect(gateway?.total).toMatchObject({ success: 90, failure: 30, calls: 120, failureRate: 0.25 });
  });

  it('gives the last minute’s figures separately', async () => {
    const payment = (await listBreakers(faultline.store, range)).breakers.find((b) => b.service === 'payment');
    // Exports at 250, 260 … 290 s fall in the last 60 s: 6 × 8 successes and the 2 timeouts.
    expect(payment?.recent).toMatchObject({ success: 48, timeout: 2, rejected: 0, calls: 50, callsPerSecond: 50 / 60 });
  });

  it('names the last transition from the exact transition records', async () => {
    const payment = (await listBreakers(faultline.store, range)).breakers.find((b) => b.service === 'payment');
    expect(payment?.lastTransition).toEqual({ timeMs: base + 197_000, from: 'half-open', to: 'closed' });
  });

  it('charts calls per bucket in the sparkline', async () => {
    const payment = (await listBreakers(faultline.store, range)).breakers.find((b) => b.service === 'payment');
    const sums = payment?.sparkline.reduce((acc, p) => ({ calls: acc.calls + p.calls, rejected: acc.rejected + p.rejected }), { calls: 0, rejected: 0 });
    expect(sums).toEqual({ calls: 218, rejected: 50 });
  });

  it('shows a breaker that is open now first', async () => {
    const board = await listBreakers(faultline.store, { from: base, to: base + 150_000 });
    expect(board.breakers[0]).toMatchObject({ service: 'payment', state: 'open' });
  });

  it('counts from the last point before the range when the counter began earlier', async () => {
    const payment = (await listBreakers(faultline.store, { from: base + 150_000, to: base + 300_000 })).breakers.find((b) => b.service === 'payment');
    // At 140 s the counters stood at 80 successes, 25 rejections and 6 failures; at 290 s at 160, 50, 6 and 2 timeouts.
    expect(payment?.total).toMatchObject({ success: 80, rejected: 25, failure: 0, timeout: 2 });
  });

  it('starts a restarted counter from zero', async () => {
    const { client, database } = faultline.store;
    const order = { 'resilience.policy.name': 'order->inventory', 'peer.service': 'inventory', outcome: 'success' };
    const point = (start: number, time: number, value: number) => ({
      ServiceName: 'order',
      MetricName: 'resilience.circuit_breaker.calls',
      Attributes: order,
      StartTimeUnix: at(start),
      TimeUnix: at(time),
      Value: value,
      AggregationTemporality: 2,
      IsMonotonic: true,
    });
    // 30 calls in the first run, then the process restarts and counts 9 more.
    const points = [point(base - 1_000, base + 10_000, 10), point(base - 1_000, base + 20_000, 20), point(base - 1_000, base + 30_000, 30)];
    points.push(point(base + 35_000, base + 40_000, 4), point(base + 35_000, base + 50_000, 9));
    await client.insert({ table: `${database}.otel_metrics_sum`, values: points, format: 'JSONEachRow', clickhouse_settings: settings });
    const orderBreaker = (await listBreakers(faultline.store, range)).breakers.find((b) => b.service === 'order');
    expect(orderBreaker?.total).toMatchObject({ success: 39, calls: 39 });
  });
});

describe('getBreakerTimelines', () => {
  it('shows when the breaker opened and for how long, half-open spell included', async () => {
    const [timeline] = await getBreakerTimelines(faultline.store, { ...range, service: 'payment', name: 'payment->provider' });
    expect(timeline?.segments.map((s) => [s.state, s.startMs - base, s.endMs - base])).toEqual([
      ['closed', 0, 95_000],
      ['open', 95_000, 195_000],
      ['half-open', 195_000, 197_000],
      ['closed', 197_000, 300_000],
    ]);
  });

  it('lists every breaker when none is named', async () => {
    const timelines = await getBreakerTimelines(faultline.store, range);
    expect(timelines.map((t) => t.name).sort()).toEqual(['gateway->user', 'payment->provider']);
  });
});

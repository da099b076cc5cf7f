import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFaultline, type TestFaultline } from '@/tests/support/faultline';
import { listBreakers } from './breakers';
import { getBreakerTimelines } from './breakerTimelines';
import type { TimeRange } from '../input';
import type { BreakerBoard } from '../contract/breakers';

let faultline: TestFaultline;
const base = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
// Five minutes of telemetry exported every 10 s.
const range = { from: base, to: base + 300_000 };
const payment = { 'resilience.policy.name': 'payment->provider', 'peer.service': 'provider' };
const user = { 'resilience.policy.name': 'gateway->user', 'peer.service': 'user' };
const at = (ms: number) => new Date(ms).toISOString();
const settings = { date_time_input_format: 'best_effort' as const };
const callsPoint = (service: string, attributes: Record<string, string>, start: number, time: number, value: number, temporality = 2) => ({
  ServiceName: service,
  MetricName: 'resilience.circuit_breaker.calls',
  Attributes: attributes,
  StartTimeUnix: at(start),
  TimeUnix: at(time),
  Value: value,
  AggregationTemporality: temporality,
  IsMonotonic: true,
});
const insertCalls = (values: object[]) =>
  faultline.store.client.insert({ table: `${faultline.store.database}.otel_metrics_sum`, values, format: 'JSONEachRow', clickhouse_settings: settings });

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
      sums.push(callsPoint('payment', { ...payment, outcome }, base - 1_000, time, value));
    }
    // gateway's counter is delta: 3 successes and 1 failure per export.
    for (const [outcome, value] of [['success', 3], ['failure', 1]] as const) {
      sums.push(callsPoint('gateway', { ...user, outcome }, time - 10_000, time, value, 1));
    }
  }
  const { client, database } = faultline.store;
  await client.insert({ table: `${database}.otel_metrics_gauge`, values: gauge, format: 'JSONEachRow', clickhouse_settings: settings });
  await insertCalls(sums);
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
    const order = { 'resilience.policy.name': 'order->inventory', 'peer.service': 'inventory', outcome: 'success' };
    const point = (start: number, time: number, value: number) => callsPoint('order', order, start, time, value);
    // 30 calls in the first run, then the process restarts and counts 9 more.
    const points = [point(base - 1_000, base + 10_000, 10), point(base - 1_000, base + 20_000, 20), point(base - 1_000, base + 30_000, 30)];
    points.push(point(base + 35_000, base + 40_000, 4), point(base + 35_000, base + 50_000, 9));
    await insertCalls(points);
    const orderBreaker = (await listBreakers(faultline.store, range)).breakers.find((b) => b.service === 'order');
    expect(orderBreaker?.total).toMatchObject({ success: 39, calls: 39 });
  });
});

describe('listBreakers over faultline_breaker_calls_minute', () => {
  // cart's breaker, 45 minutes of exports every 10 s ending 15 minutes before `base`, outside the ranges above.
  const minute = 60_000;
  const old = base - 60 * minute;
  const cart = { 'resilience.policy.name': 'cart->pricing', 'peer.service': 'pricing' };
  const restartAt = old + 25 * minute - 5_000;
  const lateAt = old + 35 * minute + 50_000;
  // Longer than 30 min, so buckets are whole minutes; neither edge is on a minute.
  const long = { from: old + 12 * minute + 13_000, to: old + 44 * minute + 42_000 };
  const cartOf = (board: BreakerBoard) => board.breakers.find((b) => b.service === 'cart');

  /** The board as a store without the rollup table gives it: a fresh client handle asks for its tables again. */
  async function boardWithoutRollup(input: TimeRange): Promise<BreakerBoard> {
    const { client, database } = faultline.store;
    await client.command({ query: `DETACH TABLE "${database}".faultline_breaker_calls_minute` });
    try {
      return await listBreakers({ database, client: Object.create(client) as typeof client }, input);
    } finally {
      await client.command({ query: `ATTACH TABLE "${database}".faultline_breaker_calls_minute` });
    }
  }

  beforeAll(async () => {
    const points: object[] = [];
    for (let i = 0; i < 270; i++) {
      const time = old + i * 10_000;
      // Successes count 5 per export and restart from 3 after 25 minutes; failures are delta, 2 per export.
      const restarted = time > restartAt;
      const success = restarted ? 3 + 5 * (i - 150) : 5 * (i + 1);
      if (time !== lateAt) points.push(callsPoint('cart', { ...cart, outcome: 'success' }, restarted ? restartAt : old - 1_000, time, success));
      points.push(callsPoint('cart', { ...cart, outcome: 'failure' }, time - 10_000, time, 2, 1));
    }
    await insertCalls(points);
  });

  it.each([
    ['edges inside minutes', long],
    ['edges on minutes', { from: old + 5 * minute, to: old + 45 * minute }],
    ['two-minute buckets and a start before the first point', { from: old - 50 * minute + 31_000, to: old + 44 * minute + 1_000 }],
  ])('gives the same board as the raw points for a range with %s', async (_, input) => {
    expect(await listBreakers(faultline.store, input)).toEqual(await boardWithoutRollup(input));
  });

  it('starts a counter restarted inside the rolled-up minutes from zero', async () => {
    // Run 1 from 370 (its last point before the range) to 750, then run 2 from zero to 593.
    expect(cartOf(await listBreakers(faultline.store, long))?.total.success).toBe(380 + 593);
  });

  it('sums a delta counter’s rolled-up minutes as they are', async () => {
    // Exports from 12:20 to 44:40, 2 failures each.
    expect(cartOf(await listBreakers(faultline.store, long))?.total.failure).toBe(195 * 2);
  });

  it('gives the last minute’s figures from the raw points', async () => {
    expect(cartOf(await listBreakers(faultline.store, long))?.recent).toMatchObject({ success: 30, failure: 12, calls: 42 });
  });

  it('folds a point arriving late for an old minute into its bucket', async () => {
    await insertCalls([callsPoint('cart', { ...cart, outcome: 'success' }, restartAt, lateAt, 3 + 5 * 65)]);
    const board = await listBreakers(faultline.store, long);
    const minutes = (cartOf(board)?.sparkline ?? []).filter((p) => p.time === old + 35 * minute || p.time === old + 36 * minute);
    // 6 exports of 5 successes and 2 failures each minute.
    expect(minutes.map((p) => p.calls)).toEqual([42, 42]);
    expect(board).toEqual(await boardWithoutRollup(long));
  });

  it('reads whole minutes from the rollup table', async () => {
    const { client, database } = faultline.store;
    const probe = { from: old - 100 * minute + 7_000, to: old - 65 * minute + 3_000 };
    await client.insert({
      table: `${database}.faultline_breaker_calls_minute`,
      values: [{ Minute: at(old - 80 * minute), ServiceName: 'probe', Name: 'probe->none', Outcome: 'rejected', StartTimeUnix: at(0), AggregationTemporality: 1, Top: 7, Bottom: 7, Total: 7 }],
      format: 'JSONEachRow',
      clickhouse_settings: settings,
    });
    const board = await listBreakers(faultline.store, probe);
    expect(board.breakers.map((b) => [b.service, b.total.rejected])).toEqual([['probe', 7]]);
  });

  it('reads the raw points when the rollup table is absent', async () => {
    expect(cartOf(await boardWithoutRollup(long))?.total).toMatchObject({ success: 973, failure: 390 });
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

describe('listBreakers: configured thresholds', () => {
  const guardedSpan = (ms: number, attributes: Record<string, string>) => ({
    Timestamp: at(ms),
    TraceId: 'f'.repeat(32),
    SpanId: Math.floor(ms).toString(16).padStart(16, '0'),
    SpanName: 'provider charge',
    SpanKind: 'Internal',
    ServiceName: 'payment',
    Duration: 5_000_000,
    SpanAttributes: { 'resilience.circuit_breaker.name': 'payment->provider', ...attributes },
  });

  beforeAll(async () => {
    await faultline.store.client.insert({
      table: `${faultline.store.database}.otel_traces`,
      format: 'JSONEachRow',
      clickhouse_settings: settings,
      values: [
        guardedSpan(base + 100_000, { 'resilience.circuit_breaker.failure_threshold': '3', 'resilience.circuit_breaker.half_open_after_ms': '1000' }),
        guardedSpan(base + 250_000, { 'resilience.circuit_breaker.failure_threshold': '5', 'resilience.circuit_breaker.half_open_after_ms': '5000' }),
        // A span of the same breaker that doesn't say, later: it changes nothing.
        guardedSpan(base + 260_000, { 'resilience.retry.attempt': '0' }),
        // Beyond the range's end.
        guardedSpan(base + 400_000, { 'resilience.circuit_breaker.failure_threshold': '9' }),
      ],
    });
  });

  it('reads each breaker’s threshold and half-open delay from its latest guarded span in the range', async () => {
    const board = await listBreakers(faultline.store, range);
    const named = board.breakers.filter((b) => ['gateway->user', 'payment->provider'].includes(b.name));
    expect(named.map((b) => [b.name, b.configured])).toEqual([
      ['gateway->user', { failureThreshold: null, halfOpenAfterMs: null }],
      ['payment->provider', { failureThreshold: 5, halfOpenAfterMs: 5000 }],
    ]);
  });

  it('reads only the last 15 minutes of a long range', async () => {
    const board = await listBreakers(faultline.store, { from: base - 3_600_000, to: base + 200_000 });
    expect(board.breakers.find((b) => b.name === 'payment->provider')?.configured).toEqual({ failureThreshold: 3, halfOpenAfterMs: 1000 });
    const later = await listBreakers(faultline.store, { from: base - 3_600_000, to: base + 100_000 + 16 * 60_000 });
    expect(later.breakers.find((b) => b.name === 'payment->provider')?.configured).toEqual({ failureThreshold: 9, halfOpenAfterMs: 5000 });
  });
});

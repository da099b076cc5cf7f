/**
 * The demo shop against a real Faultline (collector + embedded ClickHouse):
 * what the services emit must land in the contrib tables in the shape the
 * dashboard reads.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFaultline, type TestFaultline } from '../tests/support/faultline';
import { callShop, eventually, placeOrder, signIn } from './testing';
import { findFreePorts, startDemo, type RunningDemo } from './run';

const BREAKER = 'payment->payment-provider';

describe('the demo shop in Faultline', () => {
  let faultline: TestFaultline;
  let demo: RunningDemo;
  let dataDir: string;
  let token: string;

  beforeAll(async () => {
    faultline = await startTestFaultline();
    dataDir = mkdtempSync(join(tmpdir(), 'faultline-shop-int-'));
    demo = await startDemo({ otlpEndpoint: faultline.otlpEndpoint, dataDir, ports: await findFreePorts(), env: { OTEL_METRIC_EXPORT_INTERVAL: '1000' } });
    token = await signIn(demo.gatewayUrl);
  });

  afterAll(async () => {
    await demo?.stop();
    await faultline?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const orderStatus = async (id: string) => (await callShop<{ status: string; reason: string | null }>(`${demo.gatewayUrl}/api/orders/${id}`, { token })).body;
  const setPaymentFlags = (flags: Record<string, number>) => callShop(`${demo.adminUrls.payment}/admin/flags`, { body: { flags } });
  const transitions = () =>
    faultline.query<{ from: string; to: string; traceId: string; time: string }>(
      `SELECT Events.Attributes['from'] AS from, Events.Attributes['to'] AS to, TraceId AS traceId, toString(Events.Timestamp) AS time
         FROM faultline.otel_traces ARRAY JOIN Events
        WHERE ServiceName = 'payment' AND Events.Name = 'resilience.circuit_breaker.state_change'
          AND Events.Attributes['resilience.circuit_breaker.name'] = {breaker:String}
        ORDER BY Events.Timestamp`,
      { breaker: BREAKER },
    );
  /** The breaker state gauge's first reading after `time` (a transition's event time), once there is one. */
  const gaugeAfter = async (time: string) => {
    const [row] = await faultline.query<{ readings: string; value: number }>(
      `SELECT count() AS readings, argMin(Value, TimeUnix) AS value FROM faultline.otel_metrics_gauge
        WHERE ServiceName = 'payment' AND MetricName = 'resilience.circuit_breaker.state'
          AND Attributes['resilience.policy.name'] = {breaker:String} AND Attributes['peer.service'] = 'payment-provider'
          AND TimeUnix > {time:DateTime64(9)}`,
      { breaker: BREAKER, time },
    );
    return Number(row?.readings) > 0 ? row!.value : undefined;
  };
  const transition = (from: string, to: string) =>
    eventually(`the ${from} → ${to} event`, async () => (await transitions()).find((t) => t.from === from && t.to === to), 30_000);

  it('records one checkout as one trace across at least five services, consumers included, with its logs', async () => {
    const placed = await placeOrder(demo.gatewayUrl, token, [{ productId: 'p-scale', quantity: 1 }]);
    expect(placed.status).toBe(201);
    const traceId = placed.headers.get('x-trace-id')!;
    await eventually('the order to be fulfilled', async () => ((await orderStatus(placed.body.id)).status === 'fulfilled' ? true : undefined));

    // Each service exports in its own batches: wait for the whole picture, then assert on it.
    const kindsByService = await eventually(
      'the trace to reach every service with its producer and consumer spans',
      async () => {
        const rows = await faultline.query<{ service: string; kinds: string[] }>(
          `SELECT ServiceName AS service, groupUniqArray(SpanKind) AS kinds FROM faultline.otel_traces WHERE TraceId = {traceId:String} GROUP BY ServiceName`,
          { traceId },
        );
        const byService = Object.fromEntries(rows.map((row) => [row.service, row.kinds]));
        const consumersSeen = ['payment', 'inventory', 'notification', 'order'].every((service) => byService[service]?.includes('Consumer'));
        return rows.length >= 6 && consumersSeen && byService.order?.includes('Producer') ? byService : undefined;
      },
      30_000,
    );
    expect(Object.keys(kindsByService).sort()).toEqual(['gateway', 'inventory', 'notification', 'order', 'payment', 'user']);

    const logServices = await eventually(
      'the logs of the trace from five services',
      async () => {
        const rows = await faultline.query<{ service: string }>(`SELECT DISTINCT ServiceName AS service FROM faultline.otel_logs WHERE TraceId = {traceId:String}`, { traceId });
        const services = rows.map((row) => row.service);
        return ['gateway', 'order', 'payment', 'inventory', 'notification'].every((service) => services.includes(service)) ? services : undefined;
      },
      30_000,
    );
    expect(logServices.length).toBeGreaterThanOrEqual(5);
    const [log] = await eventually('the gateway access log of the checkout', async () => {
      const rows = await faultline.query<{ user: string; latency: string }>(
        `SELECT LogAttributes['user_id'] AS user, LogAttributes['latency_ms'] AS latency FROM faultline.otel_logs
          WHERE TraceId = {traceId:String} AND ServiceName = 'gateway' AND Body = 'request completed'`,
        { traceId },
      );
      return rows.length > 0 ? rows : undefined;
    });
    expect(log?.user).toBe('u001');
    expect(Number(log?.latency)).toBeGreaterThan(0);
  });

  it('opens the payment provider breaker under paymentProviderFailure, rejects fast and cancels orders; closes again once the fault is off', async () => {
    const faultOn = Date.now();
    await setPaymentFlags({ paymentProviderFailure: 1 });
    const placeAndExpectCancelled = async (count: number) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) ids.push((await placeOrder(demo.gatewayUrl, token)).body.id);
      for (const id of ids) {
        const order = await eventually('the order to be cancelled', async () => {
          const current = await orderStatus(id);
          if (current.status !== 'cancelled') throw new Error(`order ${id} is ${JSON.stringify(current)}`);
          return current;
        });
        expect(order.reason).toMatch(/provider_unavailable/);
      }
    };
    // Four checkouts fail their charges (with retries) and trip the breaker…
    await placeAndExpectCancelled(4);
    // …so the next ones are refused without reaching the provider.
    await placeAndExpectCancelled(3);

    const opened = await transition('closed', 'open');
    expect(await eventually('a breaker gauge reading after it opened', () => gaugeAfter(opened.time), 30_000)).toBe(2);
    const [openLog] = await eventually('the state-change log record', async () => {
      const rows = await faultline.query<Record<string, string>>(
        `SELECT LogAttributes['from'] AS from, SeverityText AS severity, TraceId AS traceId FROM faultline.otel_logs
          WHERE ServiceName = 'payment' AND EventName = 'resilience.circuit_breaker.state_change' AND LogAttributes['to'] = 'open'
          ORDER BY Timestamp LIMIT 1`,
      );
      return rows.length > 0 ? rows : undefined;
    });
    // Logged as a warning, in the trace of the call that tripped the breaker.
    expect(openLog).toEqual({ from: 'closed', severity: 'WARN', traceId: opened.traceId });

    // Calls rejected on their first attempt (later attempts also carry their retries' time), beside the
    // provider's own calls (each takes 20 ms or more, see payment/paymentProvider.ts).
    const timings = await eventually('rejected calls and provider calls', async () => {
      const [row] = await faultline.query<{ rejected: string; rejectedMedianMs: number; provider: string; fastestProviderMs: number }>(
        `SELECT countIf(isRejected) AS rejected, quantileExactIf(0.5)(Duration, isRejected) / 1e6 AS rejectedMedianMs,
                countIf(SpanName = 'payment-provider POST /v1/charges') AS provider,
                minIf(Duration, SpanName = 'payment-provider POST /v1/charges') / 1e6 AS fastestProviderMs
           FROM (SELECT SpanName, Duration,
                        SpanAttributes['resilience.circuit_breaker.name'] = {breaker:String} AND SpanAttributes['resilience.circuit_breaker.state'] = 'open'
                          AND SpanAttributes['resilience.retry.attempt'] = '0' AS isRejected
                   FROM faultline.otel_traces
                  WHERE ServiceName = 'payment' AND Timestamp >= fromUnixTimestamp64Milli({faultOn:Int64}))`,
        { breaker: BREAKER, faultOn },
      );
      return Number(row?.rejected) > 0 && Number(row?.provider) > 0 ? row : undefined;
    });
    // Rejected fast: sooner than the provider ever answers. The median, not the slowest, so that one stall
    // of a busy machine doesn't count as a slow rejection.
    expect(timings.rejectedMedianMs).toBeLessThan(timings.fastestProviderMs);

    await setPaymentFlags({ paymentProviderFailure: 0 });
    // The breaker waits 5 s before a trial call; checkouts keep coming until one goes through.
    await eventually(
      'a checkout to be paid again',
      async () => {
        const placed = await placeOrder(demo.gatewayUrl, token);
        const settled = await eventually('the order to settle', async () => {
          const current = await orderStatus(placed.body.id);
          return current.status === 'created' ? undefined : current;
        });
        return settled.status === 'fulfilled' ? settled : undefined;
      },
      30_000,
    );
    await transition('open', 'half_open');
    const closed = await transition('half_open', 'closed');
    expect(await eventually('a breaker gauge reading after it closed', () => gaugeAfter(closed.time), 30_000)).toBe(0);
  });
});

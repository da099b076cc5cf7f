/**
 * The demo shop against a real Faultline (collector + embedded ClickHouse):
 * what the services emit must land in the contrib tables in the shape the
 * dashboard reads.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callShop, eventually, placeOrder, signIn } from './testing';
import { findFreePorts, startDemo, type RunningDemo } from './run';

const harness = fileURLToPath(new URL('../tests/support/faultline.ts', import.meta.url));
const BREAKER = 'payment->payment-provider';

interface TestFaultline {
  otlpEndpoint: string;
  query<T>(sql: string, params?: Record<string, unknown>): Promise<T[]>;
  stop(): Promise<void>;
}

describe.skipIf(!existsSync(harness))('the demo shop in Faultline', () => {
  let faultline: TestFaultline;
  let demo: RunningDemo;
  let dataDir: string;
  let token: string;

  beforeAll(async () => {
    const { startTestFaultline } = (await import(/* @vite-ignore */ harness)) as { startTestFaultline(): Promise<TestFaultline> };
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
    faultline.query<{ from: string; to: string }>(
      `SELECT Events.Attributes['from'] AS from, Events.Attributes['to'] AS to
         FROM faultline.otel_traces ARRAY JOIN Events
        WHERE ServiceName = 'payment' AND Events.Name = 'resilience.circuit_breaker.state_change'
          AND Events.Attributes['resilience.circuit_breaker.name'] = {breaker:String}
        ORDER BY Events.Timestamp`,
      { breaker: BREAKER },
    );
  const latestGauge = async () => {
    const [row] = await faultline.query<{ value: number }>(
      `SELECT argMax(Value, TimeUnix) AS value FROM faultline.otel_metrics_gauge
        WHERE ServiceName = 'payment' AND MetricName = 'resilience.circuit_breaker.state'
          AND Attributes['resilience.policy.name'] = {breaker:String} AND Attributes['peer.service'] = 'payment-provider'`,
      { breaker: BREAKER },
    );
    return row?.value;
  };

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

    expect(await eventually('the breaker gauge to read open (2)', async () => ((await latestGauge()) === 2 ? 2 : undefined), 30_000)).toBe(2);
    await eventually('the closed → open event', async () => ((await transitions()).some((t) => t.from === 'closed' && t.to === 'open') ? true : undefined), 30_000);
    const [openLog] = await eventually('the state-change log record', async () => {
      const rows = await faultline.query<{ to: string }>(
        `SELECT LogAttributes['to'] AS to FROM faultline.otel_logs
          WHERE ServiceName = 'payment' AND EventName = 'resilience.circuit_breaker.state_change' AND LogAttributes['to'] = 'open'`,
      );
      return rows.length > 0 ? rows : undefined;
    });
    expect(openLog?.to).toBe('open');

    const [rejected] = await eventually('rejected calls that were fast', async () => {
      const rows = await faultline.query<{ calls: string; slowestMs: number }>(
        `SELECT count() AS calls, max(Duration) / 1e6 AS slowestMs FROM faultline.otel_traces
          WHERE ServiceName = 'payment' AND SpanAttributes['resilience.circuit_breaker.name'] = {breaker:String}
            AND SpanAttributes['resilience.circuit_breaker.state'] = 'open'
            -- A call rejected on its first attempt; later attempts also carry their retries' time.
            AND SpanAttributes['resilience.retry.attempt'] = '0'`,
        { breaker: BREAKER },
      );
      return Number(rows[0]?.calls) > 0 ? rows : undefined;
    });
    expect(rejected!.slowestMs).toBeLessThan(50);

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
    await eventually(
      'open → half_open → closed events',
      async () => {
        const seen = (await transitions()).map((t) => `${t.from}->${t.to}`);
        return seen.includes('open->half_open') && seen.includes('half_open->closed') ? seen : undefined;
      },
      30_000,
    );
    expect(await eventually('the breaker gauge to read closed (0)', async () => ((await latestGauge()) === 0 ? 0 : undefined), 30_000)).toBe(0);
  });
});

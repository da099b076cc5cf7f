/**
 * The shop as real processes — broker, six services, SQLite files, the
 * OpenTelemetry SDK exporting to a local sink — driven through the gateway.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_NAMES } from './shared/config';
import { TOPICS, type EventEnvelope } from './shared/eventBus';
import { startOtlpSink, type OtlpSink } from './shared/otlpSink';
import { callShop, eventually, placeOrder, signIn } from './testing';
import { findFreePorts, startDemo, type RunningDemo } from './run';

interface OrderView {
  id: string;
  status: string;
  reason: string | null;
}
interface MessageView {
  eventId: string;
  kind: string;
  channel: string;
  status: string;
}

describe('the demo shop', () => {
  let sink: OtlpSink;
  let demo: RunningDemo;
  let dataDir: string;
  let token: string;

  beforeAll(async () => {
    sink = await startOtlpSink();
    dataDir = mkdtempSync(join(tmpdir(), 'faultline-shop-'));
    demo = await startDemo({ otlpEndpoint: sink.endpoint, dataDir, ports: await findFreePorts(), env: { OTEL_METRIC_EXPORT_INTERVAL: '1000' } });
    token = await signIn(demo.gatewayUrl);
  });

  afterAll(async () => {
    await demo?.stop();
    await sink?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const orderStatus = async (id: string) => (await callShop<OrderView>(`${demo.gatewayUrl}/api/orders/${id}`, { token })).body;
  const messagesFor = async (orderId: string) =>
    (await callShop<{ messages: MessageView[] }>(`${demo.adminUrls.notification}/notifications?orderId=${orderId}`)).body.messages;
  const setFlags = (service: keyof RunningDemo['adminUrls'], flags: Record<string, number | boolean>) =>
    callShop(`${demo.adminUrls[service]}/admin/flags`, { body: { flags } });

  it('takes a checkout through every service in one trace', async () => {
    const placed = await placeOrder(demo.gatewayUrl, token, [{ productId: 'p-kettle', quantity: 1 }]);
    expect(placed.status).toBe(201);
    const traceId = placed.headers.get('x-trace-id');
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);

    const fulfilled = await eventually('the order to be fulfilled', async () => {
      const order = await orderStatus(placed.body.id);
      return order.status === 'fulfilled' ? order : undefined;
    });
    expect(fulfilled.reason).toBeNull();
    await eventually('the receipt to be sent', async () => {
      const messages = await messagesFor(placed.body.id);
      return messages.filter((m) => m.status === 'sent').length === 3 ? messages : undefined;
    });

    const servicesInTrace = SERVICE_NAMES.filter((name) => readFileSync(join(dataDir, 'logs', `${name}.log`), 'utf8').includes(`"trace_id":"${traceId}"`));
    expect(servicesInTrace.sort()).toEqual([...SERVICE_NAMES].sort());
    await eventually('traces, metrics and logs to be exported', async () =>
      ['/v1/traces', '/v1/metrics', '/v1/logs'].every((path) => (sink.requests[path] ?? 0) > 0) ? true : undefined,
    );
    // A checkout is a few dozen spans across six services, each exporting its own batches.
    await eventually("the checkout's spans and log records to be exported", async () =>
      sink.items.spans >= 20 && sink.items.logRecords >= 6 ? true : undefined,
    );
  });

  it('cancels the order of a customer whose card is declined', async () => {
    const declinedToken = await signIn(demo.gatewayUrl, 'customer13@shop.example');
    const placed = await placeOrder(demo.gatewayUrl, declinedToken);
    expect(placed.status).toBe(201);
    const order = await eventually('the order to be cancelled', async () => {
      const current = (await callShop<OrderView>(`${demo.gatewayUrl}/api/orders/${placed.body.id}`, { token: declinedToken })).body;
      return current.status === 'cancelled' ? current : undefined;
    });
    expect(order.reason).toMatch(/^payment declined/);
  });

  describe('bad requests get a clear 4xx', () => {
    it('refuses a body that is not JSON', async () => {
      const answer = await callShop<{ error: { code: string; message: string } }>(`${demo.gatewayUrl}/api/signin`, { rawBody: '{email:' });
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('FAULTLINE_ERR_INVALID_REQUEST');
      expect(answer.body.error.message).toMatch(/not valid JSON/);
    });

    it('names the offending field', async () => {
      const answer = await callShop<{ error: { message: string; details: Array<{ field: string }> } }>(`${demo.gatewayUrl}/api/orders`, {
        body: { items: [{ productId: 'p-mug', quantity: 0 }] },
        token,
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error.message).toBe('Invalid order: items.0.quantity: must be at least 1.');
      expect(answer.body.error.details[0]?.field).toBe('items.0.quantity');
    });

    it('asks for a token when there is none', async () => {
      const answer = await callShop<{ error: { code: string } }>(`${demo.gatewayUrl}/api/orders`, { body: { items: [{ productId: 'p-mug', quantity: 1 }] } });
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('FAULTLINE_ERR_UNAUTHENTICATED');
    });

    it('refuses a wrong password', async () => {
      const answer = await callShop(`${demo.gatewayUrl}/api/signin`, { body: { email: 'customer01@shop.example', password: 'nope' } });
      expect(answer.status).toBe(401);
    });

    it('passes on a 404 for a product that does not exist', async () => {
      const answer = await placeOrder(demo.gatewayUrl, token, [{ productId: 'p-unicorn', quantity: 1 }]);
      expect(answer.status).toBe(404);
      expect((answer.body as unknown as { error: { message: string } }).error.message).toMatch(/No product "p-unicorn"/);
    });

    it('answers 404 for an unknown route', async () => {
      expect((await callShop(`${demo.gatewayUrl}/api/nope`)).status).toBe(404);
    });
  });

  describe('fault flags', () => {
    it('refuses an unknown flag with a message', async () => {
      const answer = await setFlags('payment', { paymentFailure: 1 });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: { code: 'FAULTLINE_ERR_UNKNOWN_FAULT_FLAG' } });
      expect(JSON.stringify(answer.body)).toMatch(/Unknown fault flag \\"paymentFailure\\"/);
    });

    it('serves the cached catalogue while inventory fails', async () => {
      expect((await callShop(`${demo.gatewayUrl}/api/products`)).status).toBe(200);
      await setFlags('inventory', { inventoryFailure: 1 });
      try {
        const answer = await callShop<unknown[]>(`${demo.gatewayUrl}/api/products`);
        expect(answer.status).toBe(200);
        expect(answer.headers.get('x-faultline-degraded')).toBe('cached-catalogue');
        expect(answer.body.length).toBeGreaterThan(0);
      } finally {
        await setFlags('inventory', { inventoryFailure: 0 });
      }
    });

    it('keeps signed-in customers shopping while the user service is down', async () => {
      // A verified token and a fetched profile are what the gateway can fall back on.
      expect((await callShop(`${demo.gatewayUrl}/api/profile`, { token })).status).toBe(200);
      await setFlags('user', { userServiceDown: 1 });
      try {
        const profile = await callShop<{ id: string }>(`${demo.gatewayUrl}/api/profile`, { token });
        expect(profile.status).toBe(200);
        expect(profile.headers.get('x-faultline-degraded')).toBe('cached-profile');
        expect(profile.body.id).toBe('u001');
        expect((await placeOrder(demo.gatewayUrl, token)).status).toBe(201);

        const signIn = await callShop<{ error: { code: string } }>(`${demo.gatewayUrl}/api/signin`, {
          body: { email: 'customer02@shop.example', password: 'demo' },
        });
        expect(signIn.status).toBeGreaterThanOrEqual(500);
        expect(signIn.body.error.code).toMatch(/^FAULTLINE_ERR_DEPENDENCY_/);
      } finally {
        await setFlags('user', { userServiceDown: 0 });
      }
    });

    it('cancels orders cleanly while the payment provider fails', async () => {
      await setFlags('payment', { paymentProviderFailure: 1 });
      try {
        const placed = await placeOrder(demo.gatewayUrl, token);
        expect(placed.status).toBe(201);
        const cancelled = await eventually('the order to be cancelled', async () => {
          const order = await orderStatus(placed.body.id);
          return order.status === 'cancelled' ? order : undefined;
        });
        expect(cancelled.reason).toMatch(/provider_unavailable/);
      } finally {
        await setFlags('payment', { paymentProviderFailure: 0 });
      }
    });
  });

  it('handles every OrderCreated exactly once across a notification outage', async () => {
    // The session exists: notification subscribed at start-up, so the broker queues for it.
    await demo.stopService('notification');
    const orderIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const placed = await placeOrder(demo.gatewayUrl, token, [{ productId: 'p-filters', quantity: 1 }]);
      expect(placed.status).toBe(201);
      orderIds.push(placed.body.id);
    }
    await demo.startService('notification');

    const received = await eventually('an order confirmation for every order', async () => {
      const lists = await Promise.all(orderIds.map(messagesFor));
      return lists.every((messages) => messages.some((m) => m.kind === 'order_received')) ? lists : undefined;
    });

    // A redelivery of the same event (same id), as the broker may do under QoS 1.
    const firstConfirmation = received[0]!.find((m) => m.kind === 'order_received')!;
    const client = await connectAsync(demo.brokerUrl, { clientId: 'test-redeliverer', protocolVersion: 4 });
    const duplicate: EventEnvelope = { id: firstConfirmation.eventId, type: 'OrderCreated', source: 'order', time: new Date().toISOString(), data: {} };
    await client.publishAsync(TOPICS.orderCreated, JSON.stringify(duplicate), { qos: 1 });
    await client.endAsync();
    await eventually('the duplicate to reach the inbox', async () => {
      const entry = await callShop<{ deliveries: number }>(`${demo.adminUrls.notification}/admin/inbox/${firstConfirmation.eventId}`);
      return entry.body.deliveries >= 2 ? entry : undefined;
    });

    for (const orderId of orderIds) {
      const confirmations = (await messagesFor(orderId)).filter((m) => m.kind === 'order_received');
      expect(confirmations).toHaveLength(1);
    }
  });
});

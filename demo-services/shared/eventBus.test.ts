import { createServer, type AddressInfo } from 'node:net';
import { propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { Aedes } from 'aedes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus, TOPICS, type EventEnvelope, type TraceCarrier } from './eventBus';
import { createLogger } from './logger';
import { createTestTelemetry } from './testTelemetry';

const logger = createLogger({ serviceName: 'test', level: 'silent' });
let broker: Aedes;
let server: ReturnType<typeof createServer>;
let url: string;

beforeAll(async () => {
  broker = await Aedes.createBroker();
  server = createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => broker.close(() => resolve()));
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A consumer on its own session, and the next message it accepts. */
async function consumer(clientId: string) {
  const bus = new EventBus({ url, clientId, tracer: trace.getTracer('test'), logger });
  let received!: (message: { envelope: EventEnvelope; traceContext: TraceCarrier }) => void;
  const next = new Promise<{ envelope: EventEnvelope; traceContext: TraceCarrier }>((resolve) => (received = resolve));
  await bus.connect({ topics: [TOPICS.orderCreated], accept: (_topic, envelope, traceContext) => received({ envelope, traceContext }) });
  return { bus, next };
}

describe('EventBus over MQTT 5', () => {
  it('carries the publish span’s trace context in the message’s user properties', async () => {
    const telemetry = createTestTelemetry('order');
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    const { bus: consuming, next } = await consumer('consumer-traced');
    const publisher = new EventBus({ url, clientId: 'publisher-traced', tracer: telemetry.tracer, logger });
    await publisher.connect();

    const sent = await publisher.publish(TOPICS.orderCreated, 'OrderCreated', { orderId: 'o1' });
    const { envelope, traceContext } = await next;

    const publishSpan = telemetry.spans.getFinishedSpans().find((span) => span.name === `publish ${TOPICS.orderCreated}`)!;
    expect(envelope.id).toBe(sent.id);
    expect(traceContext.traceparent).toContain(publishSpan.spanContext().spanId);
    propagation.disable();
    await Promise.all([publisher.close(), consuming.close(), telemetry.shutdown()]);
  });

  it('publishes and delivers an event without trace context when telemetry is off', async () => {
    const { bus: consuming, next } = await consumer('consumer-untraced');
    const publisher = new EventBus({ url, clientId: 'publisher-untraced', tracer: trace.getTracer('off'), logger });
    await publisher.connect();

    const sent = await publisher.publish(TOPICS.orderCreated, 'OrderCreated', { orderId: 'o2' });
    const { envelope, traceContext } = await next;

    expect(envelope.id).toBe(sent.id);
    expect(traceContext).toEqual({});
    await Promise.all([publisher.close(), consuming.close()]);
  });
});

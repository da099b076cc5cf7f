/**
 * Domain events over MQTT 5: QoS 1, persistent sessions (`clean: false` and a
 * session expiry, a fixed client id per service) so a consumer that was down
 * receives what it missed.
 *
 * The W3C trace context travels in the message's MQTT 5 user properties
 * (`traceparent`, `tracestate`), beside the JSON envelope rather than inside
 * it. Spans follow the OpenTelemetry messaging conventions: `publish <topic>`
 * (PRODUCER) here, `process <topic>` (CONSUMER) in inbox.ts.
 */
import { randomUUID } from 'node:crypto';
import { SpanKind, SpanStatusCode, context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { connect, type IPublishPacket, type MqttClient } from 'mqtt';
import type { Logger } from './logger';

export interface EventEnvelope<T = unknown> {
  id: string;
  type: string;
  source: string;
  time: string;
  data: T;
}

/** W3C trace context headers (`traceparent`, `tracestate`) as carried by a message. */
export type TraceCarrier = Record<string, string>;

export const TOPICS = {
  orderCreated: 'shop/orders/created',
  paymentSucceeded: 'shop/payments/succeeded',
  paymentFailed: 'shop/payments/failed',
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

export interface EventBusOptions {
  url: string;
  /** Fixed per service: the broker keeps this client's subscriptions and missed messages. */
  clientId: string;
  tracer: Tracer;
  logger: Logger;
}

// MQTT 5 keeps a session only as long as the client asks: a week outlasts any outage of the demo.
const SESSION_EXPIRY_S = 7 * 24 * 3600;
const CONNECT_DEADLINE_MS = 60_000;

const brokerAddresses = new Map<string, URL>();

export function messagingAttributes(url: string, topic: string, operation: 'publish' | 'process', messageId: string) {
  let broker = brokerAddresses.get(url);
  if (!broker) brokerAddresses.set(url, (broker = new URL(url)));
  return {
    'messaging.system': 'mqtt',
    'messaging.destination.name': topic,
    'messaging.operation.name': operation,
    'messaging.operation.type': operation === 'publish' ? 'send' : 'process',
    'messaging.message.id': messageId,
    'server.address': broker.hostname,
    'server.port': Number(broker.port),
  };
}

export interface EventConsumer {
  topics: string[];
  /**
   * Takes each message before it is acknowledged: the broker redelivers
   * anything `accept` did not take (it threw, or the process died).
   */
  accept(topic: string, envelope: EventEnvelope, traceContext: TraceCarrier): void;
}

/** The trace context of a received message; a property repeated in the message counts once (its first value). */
function traceCarrierOf(packet: IPublishPacket): TraceCarrier {
  const carrier: TraceCarrier = {};
  for (const [key, value] of Object.entries(packet.properties?.userProperties ?? {})) {
    carrier[key] = Array.isArray(value) ? value[0]! : value;
  }
  return carrier;
}

export class EventBus {
  private client?: MqttClient;

  constructor(private readonly options: EventBusOptions) {}

  /**
   * Connects, and with a consumer subscribes. The message handler is installed
   * before the connection opens: a persistent session's queued messages arrive
   * right after CONNACK, and would otherwise be acknowledged unhandled.
   */
  async connect(consumer?: EventConsumer): Promise<void> {
    const { logger } = this.options;
    const client = connect(this.options.url, {
      clientId: this.options.clientId,
      clean: false,
      protocolVersion: 5,
      properties: { sessionExpiryInterval: SESSION_EXPIRY_S },
      reconnectPeriod: 500,
      connectTimeout: 5000,
    });
    if (consumer) {
      client.handleMessage = (packet: IPublishPacket, done: (error?: Error) => void) => {
        try {
          consumer.accept(packet.topic, JSON.parse(packet.payload.toString()) as EventEnvelope, traceCarrierOf(packet));
          done();
        } catch (error) {
          logger.error({ err: error, topic: packet.topic }, 'message not accepted; the broker will redeliver');
          done(error as Error);
        }
      };
    }
    // A broker slow to answer (a loaded machine starting every process at once) is retried every
    // reconnectPeriod until the deadline; the last error is what the start-up failure reports.
    await new Promise<void>((resolve, reject) => {
      let lastError = '';
      const onError = (error: Error) => (lastError = `: ${error.message}`);
      const timer = setTimeout(() => {
        client.off('error', onError);
        client.end(true);
        reject(new Error(`No MQTT broker answered at ${this.options.url} within ${CONNECT_DEADLINE_MS / 1000} s${lastError}.`));
      }, CONNECT_DEADLINE_MS);
      client.on('error', onError);
      client.once('connect', () => {
        clearTimeout(timer);
        client.off('error', onError);
        resolve();
      });
    });
    client.on('error', (error) => logger.error({ err: error }, 'mqtt client error'));
    client.on('offline', () => logger.warn('mqtt broker unreachable; reconnecting'));
    this.client = client;
    if (consumer) await client.subscribeAsync(consumer.topics, { qos: 1 });
  }

  /** Publishes one event and resolves once the broker has acknowledged it (PUBACK). */
  async publish<T>(topic: Topic, type: string, data: T): Promise<EventEnvelope<T>> {
    const envelope: EventEnvelope<T> = { id: randomUUID(), type, source: this.options.clientId, time: new Date().toISOString(), data };
    const span = this.options.tracer.startSpan(`publish ${topic}`, {
      kind: SpanKind.PRODUCER,
      attributes: messagingAttributes(this.options.url, topic, 'publish', envelope.id),
    });
    try {
      const traceContext: TraceCarrier = {};
      propagation.inject(trace.setSpan(context.active(), span), traceContext);
      if (!this.client) throw new Error('EventBus.publish before connect().');
      // With telemetry off there is no context to carry, and aedes never acknowledges an empty user-properties list.
      const properties = Object.keys(traceContext).length > 0 ? { userProperties: traceContext } : undefined;
      await this.client.publishAsync(topic, JSON.stringify(envelope), { qos: 1, properties });
      return envelope;
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  }

  async close(): Promise<void> {
    await this.client?.endAsync();
  }
}

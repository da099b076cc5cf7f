/**
 * The order service: creates orders after an availability check against
 * inventory (guarded: timeout, retry, breaker), publishes OrderCreated, and
 * moves orders on as payment events arrive.
 */
import { z } from 'zod';
import { brokerUrl, serviceUrl } from '../shared/config';
import { openDatabase } from '../shared/database';
import { DependencyUnavailableError, OutOfStockError } from '../shared/errors';
import { EventBus, TOPICS } from '../shared/eventBus';
import { eventData, paymentFailedSchema, paymentSucceededSchema, type OrderCreated } from '../shared/events';
import { callJson } from '../shared/httpClient';
import { parseInput } from '../shared/httpServer';
import { INBOX_SCHEMA, Inbox } from '../shared/inbox';
import { setCurrentUser } from '../shared/requestContext';
import type { PolicyOverride } from '../shared/resilience';
import { runService } from '../shared/service';
import { OrderBook } from './order';

/** The part of inventory's availability answer this service reads. */
interface Availability {
  available: boolean;
  lines: Array<{ productId: string; quantity: number; unitPriceCents: number; inStock: number }>;
}

/** orderRetryStorm: many retries, no backoff, and no breaker to stop them. */
const RETRY_STORM: PolicyOverride = { retry: { maxRetries: 9, initialDelayMs: 0, maxDelayMs: 0 }, breaker: false };

const createOrderSchema = z.object({
  userId: z.string().min(1),
  items: z.array(z.object({ productId: z.string().min(1), quantity: z.number().int().positive().max(20) })).min(1).max(10),
});

await runService('order', async ({ config, tracer, logger, flags, guard }) => {
  const db = openDatabase(config.dataDir, 'order', [new URL('./schema.sql', import.meta.url), INBOX_SCHEMA]);
  const orders = new OrderBook(db);
  const inventoryUrl = serviceUrl(config, 'inventory');
  const inventory = guard({
    dependency: 'inventory',
    timeoutMs: 800,
    retry: { maxRetries: 2, initialDelayMs: 50, maxDelayMs: 400 },
    breaker: { consecutiveFailures: 5, halfOpenAfterMs: 5000 },
  });

  const bus = new EventBus({ url: brokerUrl(config), clientId: 'order', tracer, logger });
  const inbox = new Inbox({
    db,
    brokerUrl: brokerUrl(config),
    tracer,
    logger,
    handlers: {
      [TOPICS.paymentSucceeded]: async (envelope) => {
        const payment = eventData(paymentSucceededSchema, envelope);
        setCurrentUser(payment.userId);
        orders.transition(payment.orderId, 'paid');
        // Fulfilment is simulated: the parcel leaves as soon as the money is in.
        tracer.startActiveSpan('order fulfil', (span) => {
          span.setAttribute('order.id', payment.orderId);
          orders.transition(payment.orderId, 'fulfilled');
          span.end();
        });
        logger.info({ order_id: payment.orderId }, 'order paid and fulfilled');
      },
      [TOPICS.paymentFailed]: async (envelope) => {
        const payment = eventData(paymentFailedSchema, envelope);
        setCurrentUser(payment.userId);
        orders.transition(payment.orderId, 'cancelled', `payment ${payment.reason}: ${payment.message}`);
        logger.info({ order_id: payment.orderId, reason: payment.reason }, 'order cancelled');
      },
    },
  });
  await bus.connect({ topics: inbox.topics, accept: (topic, envelope, traceContext) => inbox.accept(topic, envelope, traceContext) });
  inbox.resumePending();

  return {
    routes: [
      ...inbox.routes(),
      {
        method: 'POST',
        path: '/orders',
        handler: async ({ body }) => {
          const request = parseInput(createOrderSchema, body, 'order');
          setCurrentUser(request.userId);
          // A read: safe to retry on a transient failure.
          const override = flags.fires('orderRetryStorm') ? RETRY_STORM : undefined;
          const availability = await inventory.call({ operation: 'check availability', idempotent: true, override }, (signal) =>
            callJson<Availability>('inventory', `${inventoryUrl}/availability`, { method: 'POST', body: { items: request.items }, signal }),
          );
          if (!availability.available) {
            const short = availability.lines.filter((line) => line.inStock < line.quantity);
            throw new OutOfStockError(`Not enough stock for ${short.map((line) => line.productId).join(', ')}.`, short);
          }
          const order = orders.create(
            request.userId,
            availability.lines.map(({ productId, quantity, unitPriceCents }) => ({ productId, quantity, unitPriceCents })),
          );
          const event: OrderCreated = { orderId: order.id, userId: order.userId, items: order.items, totalCents: order.totalCents };
          try {
            await bus.publish(TOPICS.orderCreated, 'OrderCreated', event);
          } catch (error) {
            orders.transition(order.id, 'cancelled', 'the event broker was unreachable');
            throw new DependencyUnavailableError('broker', 'failed', `Order ${order.id} cancelled: OrderCreated could not be published (${(error as Error).message}).`);
          }
          logger.info({ order_id: order.id, total_cents: order.totalCents }, 'order created');
          return { status: 201, body: order };
        },
      },
      {
        method: 'GET',
        path: '/orders/:id',
        handler: ({ params }) => ({ body: orders.get(params.id!) }),
      },
    ],
    close: async () => {
      // Drain first: handlers still publish their outcome events.
      await inbox.drain();
      await bus.close();
      db.close();
    },
  };
});

/**
 * The inventory service: catalogue and availability over HTTP; reservations
 * driven by OrderCreated, PaymentSucceeded and PaymentFailed.
 */
import { trace } from '@opentelemetry/api';
import { z } from 'zod';
import { brokerUrl } from '../shared/config';
import { openDatabase } from '../shared/database';
import { EventBus, TOPICS } from '../shared/eventBus';
import { eventData, orderCreatedSchema, paymentFailedSchema, paymentSucceededSchema } from '../shared/events';
import { parseInput } from '../shared/httpServer';
import { INBOX_SCHEMA, Inbox } from '../shared/inbox';
import { setCurrentUser } from '../shared/requestContext';
import { runService } from '../shared/service';
import { Inventory } from './inventory';

const availabilitySchema = z.object({
  items: z.array(z.object({ productId: z.string().min(1), quantity: z.number().int().positive() })).min(1),
});

await runService('inventory', async ({ config, flags, tracer, logger }) => {
  const db = openDatabase(config.dataDir, 'inventory', [new URL('./schema.sql', import.meta.url), INBOX_SCHEMA]);
  const inventory = new Inventory(db);
  inventory.seedCatalogue();

  const faults = async () => {
    const span = trace.getActiveSpan();
    await flags.delayIfFired('inventorySlowdown', span);
    flags.failIfFired('inventoryFailure', span);
  };

  const bus = new EventBus({ url: brokerUrl(config), clientId: 'inventory', tracer, logger });
  const inbox = new Inbox({
    db,
    brokerUrl: brokerUrl(config),
    tracer,
    logger,
    handlers: {
      [TOPICS.orderCreated]: async (envelope) => {
        const order = eventData(orderCreatedSchema, envelope);
        setCurrentUser(order.userId);
        const status = tracer.startActiveSpan('inventory reserve', (span) => {
          const result = inventory.reserve(order.orderId, order.items);
          span.setAttributes({ 'order.id': order.orderId, 'inventory.reservation.status': result });
          span.end();
          return result;
        });
        if (status === 'short') logger.warn({ order_id: order.orderId }, 'stock ran out after the availability check');
      },
      [TOPICS.paymentSucceeded]: async (envelope) => {
        const payment = eventData(paymentSucceededSchema, envelope);
        setCurrentUser(payment.userId);
        inventory.commit(payment.orderId);
      },
      [TOPICS.paymentFailed]: async (envelope) => {
        const payment = eventData(paymentFailedSchema, envelope);
        setCurrentUser(payment.userId);
        const status = inventory.release(payment.orderId);
        logger.info({ order_id: payment.orderId, reservation: status }, 'reservation released after failed payment');
      },
    },
  });
  await bus.connect({ topics: inbox.topics, accept: (topic, envelope, traceContext) => inbox.accept(topic, envelope, traceContext) });
  inbox.resumePending();

  return {
    routes: [
      ...inbox.routes(),
      {
        method: 'GET',
        path: '/products',
        handler: async () => {
          await faults();
          return { body: { products: inventory.listProducts() } };
        },
      },
      {
        method: 'GET',
        path: '/products/:id',
        handler: async ({ params }) => {
          await faults();
          return { body: inventory.product(params.id!) };
        },
      },
      {
        method: 'POST',
        path: '/availability',
        handler: async ({ body }) => {
          await faults();
          return { body: inventory.checkAvailability(parseInput(availabilitySchema, body, 'availability check').items) };
        },
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

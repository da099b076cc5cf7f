/**
 * The payment service: on OrderCreated it charges the simulated provider
 * through the `payment->payment-provider` guard (bulkhead, retry on the
 * idempotency key, breaker, timeout, fallback) and publishes PaymentSucceeded
 * or PaymentFailed.
 */
import { brokerUrl } from '../shared/config';
import { openDatabase } from '../shared/database';
import { NotFoundError } from '../shared/errors';
import { EventBus, TOPICS } from '../shared/eventBus';
import { eventData, orderCreatedSchema, type PaymentFailed, type PaymentSucceeded } from '../shared/events';
import { INBOX_SCHEMA, Inbox } from '../shared/inbox';
import { setCurrentUser } from '../shared/requestContext';
import { runService } from '../shared/service';
import { Payments, type ChargeResult } from './payment';
import { PAYMENT_PROVIDER, PaymentProvider, type ChargeRequest } from './paymentProvider';

await runService('payment', async ({ config, tracer, logger, flags, guard }) => {
  const db = openDatabase(config.dataDir, 'payment', [new URL('./schema.sql', import.meta.url), INBOX_SCHEMA]);
  const payments = new Payments(db);
  const provider = new PaymentProvider(tracer, flags);
  const providerGuard = guard({
    dependency: PAYMENT_PROVIDER,
    timeoutMs: 800,
    retry: { maxRetries: 2, initialDelayMs: 100, maxDelayMs: 1000 },
    breaker: { consecutiveFailures: 5, halfOpenAfterMs: 5000 },
    bulkhead: { limit: 4, queue: 16 },
  });

  const chargeProvider = async (request: ChargeRequest, signal: AbortSignal): Promise<ChargeResult> => ({
    kind: 'charged',
    reference: await provider.charge(request, signal),
  });
  const charge = (idempotencyKey: string, amountCents: number, customerId: string) => {
    const request = { idempotencyKey, amountCents, customerId };
    // paymentUnguardedCall: straight to the provider, with nothing to cut a hanging call short.
    if (flags.fires('paymentUnguardedCall')) return chargeProvider(request, new AbortController().signal);
    return providerGuard.call<ChargeResult>(
      {
        operation: 'charge',
        // The idempotency key makes a repeated charge harmless, so retrying is safe.
        idempotent: true,
        fallback: (error) => ({ kind: 'unavailable', message: error.message }),
      },
      (signal) => chargeProvider(request, signal),
    );
  };

  const bus = new EventBus({ url: brokerUrl(config), clientId: 'payment', tracer, logger });
  const inbox = new Inbox({
    db,
    brokerUrl: brokerUrl(config),
    tracer,
    logger,
    handlers: {
      [TOPICS.orderCreated]: async (envelope) => {
        const order = eventData(orderCreatedSchema, envelope);
        setCurrentUser(order.userId);
        const outcome = await payments.settle(order, charge);
        if (outcome.status === 'succeeded') {
          const event: PaymentSucceeded = { orderId: order.orderId, userId: order.userId, paymentId: outcome.reference, amountCents: order.totalCents };
          await bus.publish(TOPICS.paymentSucceeded, 'PaymentSucceeded', event);
          logger.info({ order_id: order.orderId, amount_cents: order.totalCents }, 'payment succeeded');
        } else {
          const event: PaymentFailed = { orderId: order.orderId, userId: order.userId, reason: outcome.reason, message: outcome.message };
          await bus.publish(TOPICS.paymentFailed, 'PaymentFailed', event);
          logger.warn({ order_id: order.orderId, reason: outcome.reason }, 'payment failed');
        }
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
        path: '/payments/:orderId',
        handler: ({ params }) => {
          const payment = payments.get(params.orderId!);
          if (!payment) throw new NotFoundError(`No payment for order ${params.orderId}.`);
          return { body: payment };
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

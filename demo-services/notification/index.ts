/**
 * The notification service: turns order and payment events into customer
 * messages, sends them through guarded providers (one breaker per provider),
 * and re-sends what is still pending every few seconds.
 */
import { z } from 'zod';
import { brokerUrl } from '../shared/config';
import { openDatabase } from '../shared/database';
import { EventBus, TOPICS, type EventEnvelope } from '../shared/eventBus';
import { eventData, orderCreatedSchema, paymentFailedSchema, paymentSucceededSchema } from '../shared/events';
import { parseInput } from '../shared/httpServer';
import { INBOX_SCHEMA, Inbox } from '../shared/inbox';
import { setCurrentUser } from '../shared/requestContext';
import { runService } from '../shared/service';
import { MessageProvider, providerName, type Channel } from './messageProviders';
import { Notifications, formatCents, type Message, type MessagePlan } from './notification';

const RESEND_EVERY_MS = 5000;
const listSchema = z.object({ orderId: z.string().min(1) });

await runService('notification', async ({ config, tracer, logger, flags, guard }) => {
  const db = openDatabase(config.dataDir, 'notification', [new URL('./schema.sql', import.meta.url), INBOX_SCHEMA]);
  const notifications = new Notifications(db);
  const channels: Channel[] = ['email', 'sms', 'push'];
  const senders = Object.fromEntries(
    channels.map((channel) => {
      const provider = new MessageProvider(channel, tracer, flags);
      const providerGuard = guard({
        dependency: providerName(channel),
        timeoutMs: 500,
        retry: { maxRetries: 1, initialDelayMs: 50, maxDelayMs: 200 },
        breaker: { consecutiveFailures: 5, halfOpenAfterMs: 10_000 },
      });
      return [channel, { provider, providerGuard }];
    }),
  ) as Record<Channel, { provider: MessageProvider; providerGuard: ReturnType<typeof guard> }>;

  async function send(message: Message): Promise<void> {
    const { provider, providerGuard } = senders[message.channel];
    const result = await providerGuard.call<{ sent: true } | { sent: false; error: string }>(
      // The message id is the provider's idempotency key, so a retry cannot send twice.
      { operation: 'send', idempotent: true, fallback: (error) => ({ sent: false, error: error.message }) },
      async (signal) => {
        await provider.send(message.id, signal);
        return { sent: true };
      },
    );
    if (result.sent) {
      notifications.markSent(message.id);
    } else {
      notifications.markAttemptFailed(message.id, result.error);
      logger.warn({ message_id: message.id, channel: message.channel, order_id: message.orderId }, 'message left pending');
    }
  }

  async function notify(envelope: EventEnvelope, orderId: string, userId: string, plan: MessagePlan) {
    setCurrentUser(userId);
    for (const message of notifications.record(envelope.id, orderId, userId, plan)) await send(message);
  }

  const bus = new EventBus({ url: brokerUrl(config), clientId: 'notification', tracer, logger });
  const inbox = new Inbox({
    db,
    brokerUrl: brokerUrl(config),
    tracer,
    logger,
    handlers: {
      [TOPICS.orderCreated]: async (envelope) => {
        const order = eventData(orderCreatedSchema, envelope);
        await notify(envelope, order.orderId, order.userId, {
          kind: 'order_received',
          channels: ['email'],
          body: `We received order ${order.orderId} (${formatCents(order.totalCents)}).`,
        });
      },
      [TOPICS.paymentSucceeded]: async (envelope) => {
        const payment = eventData(paymentSucceededSchema, envelope);
        await notify(envelope, payment.orderId, payment.userId, {
          kind: 'payment_receipt',
          channels: ['email', 'push'],
          body: `Payment of ${formatCents(payment.amountCents)} received for order ${payment.orderId}; it is on its way.`,
        });
      },
      [TOPICS.paymentFailed]: async (envelope) => {
        const payment = eventData(paymentFailedSchema, envelope);
        await notify(envelope, payment.orderId, payment.userId, {
          kind: 'payment_failed',
          channels: ['email', 'sms'],
          body: `Order ${payment.orderId} was cancelled: ${payment.reason === 'declined' ? 'your card was declined' : 'payments are unavailable right now'}.`,
        });
      },
    },
  });
  await bus.connect({ topics: inbox.topics, accept: (topic, envelope, traceContext) => inbox.accept(topic, envelope, traceContext) });
  inbox.resumePending();

  let resending: Promise<void> | undefined;
  const resendTimer = setInterval(() => {
    if (resending) return;
    const due = notifications.pending(50);
    if (due.length === 0) return;
    resending = tracer
      .startActiveSpan('notification resend pending', async (span) => {
        span.setAttribute('notification.pending', due.length);
        for (const message of due) await send(message);
        span.end();
      })
      .finally(() => (resending = undefined));
  }, RESEND_EVERY_MS);

  return {
    routes: [
      ...inbox.routes(),
      {
        method: 'GET',
        path: '/notifications',
        handler: ({ query }) => {
          const { orderId } = parseInput(listSchema, Object.fromEntries(query), 'query');
          return { body: { messages: notifications.forOrder(orderId) } };
        },
      },
    ],
    close: async () => {
      clearInterval(resendTimer);
      await resending;
      await inbox.drain();
      await bus.close();
      db.close();
    },
  };
});

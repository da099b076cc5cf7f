/**
 * The gateway: the shop's public HTTP API under `/api`. Validates every input
 * at the edge (clear 4xx with the offending field), authenticates, and marks
 * degraded answers with an `x-faultline-degraded` header.
 */
import { z } from 'zod';
import { serviceUrl } from '../shared/config';
import { parseInput, type Reply } from '../shared/httpServer';
import { setCurrentUser } from '../shared/requestContext';
import { runService } from '../shared/service';
import { Gateway, type Answer } from './gateway';

const signInSchema = z.object({ email: z.email('must be an email address'), password: z.string().min(1, 'is required') });
const orderSchema = z.object({
  items: z
    .array(
      z.object({
        productId: z.string().min(1).max(64),
        quantity: z.number().int('must be a whole number').min(1, 'must be at least 1').max(20, 'must be at most 20'),
      }),
    )
    .min(1, 'must list at least one item')
    .max(10, 'must list at most 10 items'),
});
const idSchema = z.string().regex(/^[\w-]{1,80}$/, 'must be 1–80 letters, digits, _ or -');

/** gatewayTimeoutInversion: below what a checkout takes (order's own inventory check, its database, its event). */
const INVERTED_CHECKOUT_TIMEOUT_MS = 10;

function reply<T>(answer: Answer<T>): Reply {
  return { body: answer.value, headers: answer.degraded ? { 'x-faultline-degraded': answer.degraded } : {} };
}

await runService('gateway', async ({ config, flags, guard }) => {
  const standard = { timeoutMs: 800, retry: { maxRetries: 2, initialDelayMs: 50, maxDelayMs: 400 }, breaker: { consecutiveFailures: 5, halfOpenAfterMs: 5000 } };
  const gateway = new Gateway({
    user: { url: serviceUrl(config, 'user'), guard: guard({ dependency: 'user', ...standard }) },
    inventory: { url: serviceUrl(config, 'inventory'), guard: guard({ dependency: 'inventory', ...standard }) },
    // Order creation includes order's own guarded inventory check, hence the longer timeout.
    order: {
      url: serviceUrl(config, 'order'),
      guard: guard({ dependency: 'order', ...standard, timeoutMs: 4000 }),
      checkoutOverride: () => (flags.fires('gatewayTimeoutInversion') ? { timeoutMs: INVERTED_CHECKOUT_TIMEOUT_MS } : undefined),
    },
  });
  const authenticate = async (authorization: string | undefined) => {
    const session = await gateway.authenticate(authorization);
    setCurrentUser(session.userId);
    return session;
  };

  return {
    routes: [
      {
        method: 'POST',
        path: '/api/signin',
        handler: async ({ body }) => {
          const { email, password } = parseInput(signInSchema, body, 'sign-in');
          const session = await gateway.signIn(email, password);
          setCurrentUser(session.userId);
          return { body: session };
        },
      },
      { method: 'GET', path: '/api/products', handler: async () => reply(await gateway.products()) },
      {
        method: 'GET',
        path: '/api/products/:id',
        handler: async ({ params }) => reply(await gateway.product(parseInput(idSchema, params.id, 'product id'))),
      },
      {
        method: 'GET',
        path: '/api/profile',
        handler: async ({ headers }) => {
          const session = await authenticate(headers.authorization);
          return reply(await gateway.profile(session.userId));
        },
      },
      {
        method: 'POST',
        path: '/api/orders',
        handler: async ({ headers, body }) => {
          const session = await authenticate(headers.authorization);
          const { items } = parseInput(orderSchema, body, 'order');
          return { status: 201, body: await gateway.placeOrder(session.userId, items) };
        },
      },
      {
        method: 'GET',
        path: '/api/orders/:id',
        handler: async ({ headers, params }) => {
          const session = await authenticate(headers.authorization);
          return { body: await gateway.order(session.userId, parseInput(idSchema, params.id, 'order id')) };
        },
      },
    ],
  };
});

/**
 * The shop's public API logic: authentication through the user service,
 * catalogue through inventory, orders through the order service — each call
 * guarded, and degraded rather than failed where a stale answer is still
 * useful: a cached catalogue, a cached profile, a token verified before.
 */
import { DependencyUnavailableError, NotFoundError, UnauthenticatedError } from '../shared/errors';
import { callJson } from '../shared/httpClient';
import type { GuardedDependency, PolicyOverride } from '../shared/resilience';
import { LastKnownGood } from './lastKnownGood';

export interface Session {
  token: string;
  userId: string;
  expiresAt: string;
}

export interface Product {
  id: string;
  name: string;
  priceCents: number;
  stock: number;
}

export interface Order {
  id: string;
  userId: string;
  status: string;
  [field: string]: unknown;
}

/** An answer, and how it was obtained when not fresh from its owner. */
export interface Answer<T> {
  value: T;
  degraded?: 'cached-catalogue' | 'cached-profile';
}

export interface GatewayDependencies {
  user: { url: string; guard: GuardedDependency };
  inventory: { url: string; guard: GuardedDependency };
  /** `checkoutOverride`: a misconfiguration flag's policies for a checkout, when it is on. */
  order: { url: string; guard: GuardedDependency; checkoutOverride?: () => PolicyOverride | undefined };
}

const HOUR = 3600_000;

export class Gateway {
  private readonly sessions = new LastKnownGood<Session>(10_000, HOUR);
  private readonly profiles = new LastKnownGood<unknown>(10_000, HOUR);
  private readonly catalogue = new LastKnownGood<Product[]>(1, HOUR);

  constructor(private readonly deps: GatewayDependencies) {}

  signIn(email: string, password: string): Promise<Session> {
    const { url, guard } = this.deps.user;
    // Not idempotent: each sign-in opens a session.
    return guard.call({ operation: 'sign in', idempotent: false }, (signal) =>
      callJson<Session>('user', `${url}/auth/signin`, { method: 'POST', body: { email, password }, signal }),
    );
  }

  /** The session behind an `Authorization: Bearer` header; a token verified before still works while user is down. */
  async authenticate(authorization: string | undefined): Promise<Session> {
    const token = /^Bearer ([\w-]+)$/.exec(authorization ?? '')?.[1];
    if (!token) throw new UnauthenticatedError();
    const { url, guard } = this.deps.user;
    const session = await guard.call(
      {
        operation: 'verify token',
        idempotent: true,
        fallback: (error) => {
          const known = this.sessions.get(token);
          if (!known || Date.parse(known.expiresAt) < Date.now()) {
            throw new DependencyUnavailableError('user', 'failed', `Cannot check the token right now: ${error.message}`);
          }
          return known;
        },
      },
      (signal) => callJson<Session>('user', `${url}/auth/verify`, { method: 'POST', body: { token }, signal }),
    );
    this.sessions.set(token, session);
    return session;
  }

  async profile(userId: string): Promise<Answer<unknown>> {
    const { url, guard } = this.deps.user;
    return guard.call(
      { operation: 'get profile', idempotent: true, fallback: (error) => this.cached(this.profiles.get(userId), 'cached-profile', 'user', error) },
      async (signal) => {
        const profile = await callJson<unknown>('user', `${url}/users/${encodeURIComponent(userId)}`, { signal });
        this.profiles.set(userId, profile);
        return { value: profile };
      },
    );
  }

  async products(): Promise<Answer<Product[]>> {
    const { url, guard } = this.deps.inventory;
    return guard.call(
      { operation: 'list products', idempotent: true, fallback: (error) => this.cached(this.catalogue.get('all'), 'cached-catalogue', 'inventory', error) },
      async (signal) => {
        const { products } = await callJson<{ products: Product[] }>('inventory', `${url}/products`, { signal });
        this.catalogue.set('all', products);
        return { value: products };
      },
    );
  }

  async product(id: string): Promise<Answer<Product>> {
    const { url, guard } = this.deps.inventory;
    return guard.call(
      {
        operation: 'get product',
        idempotent: true,
        fallback: (error) => this.cached(this.catalogue.get('all')?.find((p) => p.id === id), 'cached-catalogue', 'inventory', error),
      },
      async (signal) => ({ value: await callJson<Product>('inventory', `${url}/products/${encodeURIComponent(id)}`, { signal }) }),
    );
  }

  placeOrder(userId: string, items: Array<{ productId: string; quantity: number }>): Promise<Order> {
    const { url, guard, checkoutOverride } = this.deps.order;
    // Not idempotent: a retried POST could create a second order.
    return guard.call({ operation: 'place order', idempotent: false, override: checkoutOverride?.() }, (signal) =>
      callJson<Order>('order', `${url}/orders`, { method: 'POST', body: { userId, items }, signal }),
    );
  }

  async order(userId: string, orderId: string): Promise<Order> {
    const { url, guard } = this.deps.order;
    const order = await guard.call({ operation: 'get order', idempotent: true }, (signal) =>
      callJson<Order>('order', `${url}/orders/${encodeURIComponent(orderId)}`, { signal }),
    );
    // Someone else's order does not exist, as far as this customer can tell.
    if (order.userId !== userId) throw new NotFoundError(`No order ${orderId}.`);
    return order;
  }

  private cached<T>(value: T | undefined, degraded: Answer<T>['degraded'], dependency: string, error: Error): Answer<T> {
    if (value === undefined) throw new DependencyUnavailableError(dependency, 'failed', `${error.message} No cached copy to serve instead.`);
    return { value, degraded };
  }
}

/**
 * A shop's traffic against the gateway: customers sign in, browse, check out
 * and look at their orders, in a fixed mix, at an open-loop rate (requests
 * start on schedule whether or not earlier ones finished, as real users do).
 */
import { DEMO_CUSTOMER_COUNT, DEMO_PASSWORD, demoCustomerEmail } from '../user/user';
import { LoadStats, type LoadSummary } from './stats';

export interface LoadOptions {
  gatewayUrl: string;
  rps: number;
  durationMs: number;
  signal?: AbortSignal;
  /** Called about once a second. */
  onProgress?: (stats: LoadStats, elapsedMs: number) => void;
}

const MIX: Array<[Action, number]> = [
  ['browse', 0.45],
  ['checkout', 0.3],
  ['status', 0.1],
  ['signin', 0.1],
  ['profile', 0.05],
];
type Action = 'browse' | 'checkout' | 'status' | 'signin' | 'profile';

// Beyond this many open requests the gateway is not keeping up; more would only measure our own queue.
const MAX_IN_FLIGHT = 256;
const REQUEST_TIMEOUT_MS = 10_000;

interface Customer {
  email: string;
  token?: string;
  orders: string[];
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

function chooseAction(): Action {
  let roll = Math.random();
  for (const [action, share] of MIX) {
    roll -= share;
    if (roll < 0) return action;
  }
  return 'browse';
}

export class ShopClient {
  private readonly customers: Customer[] = Array.from({ length: DEMO_CUSTOMER_COUNT }, (_, i) => ({ email: demoCustomerEmail(i), orders: [] }));
  private productIds: string[] = [];

  constructor(
    private readonly gatewayUrl: string,
    private readonly stats: LoadStats,
  ) {}

  async run(action: Action): Promise<void> {
    const customer = pick(this.customers);
    if (action === 'browse') return this.browse();
    if (action === 'signin' || !customer.token) await this.signIn(customer);
    if (!customer.token) return;
    if (action === 'checkout') {
      await this.checkout(customer);
      return;
    }
    if (action === 'status' && customer.orders.length > 0) {
      await this.request('status', 'GET', `/api/orders/${pick(customer.orders)}`, customer);
      return;
    }
    if (action === 'profile' || action === 'status') await this.request('profile', 'GET', '/api/profile', customer);
  }

  async checkout(customer: Customer): Promise<string | undefined> {
    if (this.productIds.length === 0) await this.browse();
    if (this.productIds.length === 0) return undefined;
    const count = 1 + Math.floor(Math.random() * 3);
    const items = Array.from(new Set(Array.from({ length: count }, () => pick(this.productIds)))).map((productId) => ({
      productId,
      quantity: 1 + Math.floor(Math.random() * 2),
    }));
    const order = await this.request<{ id: string }>('checkout', 'POST', '/api/orders', customer, { items });
    if (order) {
      customer.orders.push(order.id);
      if (customer.orders.length > 20) customer.orders.shift();
    }
    return order?.id;
  }

  private async browse(): Promise<void> {
    const products = await this.request<Array<{ id: string }>>('browse', 'GET', '/api/products');
    if (products && products.length > 0) this.productIds = products.map((p) => p.id);
    if (this.productIds.length > 0 && Math.random() < 0.5) await this.request('browse', 'GET', `/api/products/${pick(this.productIds)}`);
  }

  private async signIn(customer: Customer): Promise<void> {
    const session = await this.request<{ token: string }>('signin', 'POST', '/api/signin', undefined, { email: customer.email, password: DEMO_PASSWORD });
    if (session) customer.token = session.token;
  }

  private async request<T>(kind: string, method: 'GET' | 'POST', path: string, customer?: Customer, body?: unknown): Promise<T | undefined> {
    const started = performance.now();
    let status = 0;
    try {
      const response = await fetch(`${this.gatewayUrl}${path}`, {
        method,
        headers: {
          ...(body !== undefined && { 'content-type': 'application/json' }),
          ...(customer?.token && { authorization: `Bearer ${customer.token}` }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      status = response.status;
      const json = (await response.json().catch(() => undefined)) as T | undefined;
      if (status === 401 && customer) customer.token = undefined;
      return response.ok ? json : undefined;
    } catch {
      return undefined;
    } finally {
      this.stats.record(kind, status, performance.now() - started);
    }
  }
}

export async function runLoad(options: LoadOptions): Promise<LoadSummary> {
  const stats = new LoadStats();
  const client = new ShopClient(options.gatewayUrl, stats);
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  let issued = 0;
  let lastProgress = started;

  while (!options.signal?.aborted) {
    const elapsed = performance.now() - started;
    if (elapsed >= options.durationMs) break;
    const due = Math.floor((elapsed / 1000) * options.rps) - issued;
    for (let i = 0; i < due && inFlight.size < MAX_IN_FLIGHT; i++) {
      const work = client.run(chooseAction()).finally(() => inFlight.delete(work));
      inFlight.add(work);
    }
    issued += due;
    if (options.onProgress && performance.now() - lastProgress >= 1000) {
      lastProgress = performance.now();
      options.onProgress(stats, lastProgress - started);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(50, 1000 / options.rps)));
  }
  await Promise.allSettled([...inFlight]);
  return stats.summary();
}

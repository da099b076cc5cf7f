/**
 * Orders and their state machine: created → paid → fulfilled, or created →
 * cancelled. A transition to the state an order is already in is a no-op, so
 * a repeated event changes nothing; any other move out of order is refused.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../shared/database';
import { InvalidTransitionError, NotFoundError } from '../shared/errors';

export type OrderStatus = 'created' | 'paid' | 'fulfilled' | 'cancelled';

const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  created: ['paid', 'cancelled'],
  paid: ['fulfilled'],
  fulfilled: [],
  cancelled: [],
};

export interface OrderLine {
  productId: string;
  quantity: number;
  unitPriceCents: number;
}

export interface Order {
  id: string;
  userId: string;
  items: OrderLine[];
  totalCents: number;
  status: OrderStatus;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
}

interface OrderRow {
  id: string;
  user_id: string;
  items: string;
  total_cents: number;
  status: OrderStatus;
  reason: string | null;
  created_at: string;
  updated_at: string;
}

const toOrder = (row: OrderRow): Order => ({
  id: row.id,
  userId: row.user_id,
  items: JSON.parse(row.items) as OrderLine[],
  totalCents: row.total_cents,
  status: row.status,
  reason: row.reason,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return NEXT[from].includes(to);
}

export class OrderBook {
  constructor(private readonly db: Database.Database) {}

  create(userId: string, items: OrderLine[]): Order {
    const now = new Date().toISOString();
    const totalCents = items.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0);
    const id = `ord_${randomUUID()}`;
    this.db
      .prepare(`INSERT INTO orders (id, user_id, items, total_cents, status, created_at, updated_at) VALUES (?, ?, ?, ?, 'created', ?, ?)`)
      .run(id, userId, JSON.stringify(items), totalCents, now, now);
    return this.get(id);
  }

  get(id: string): Order {
    const row = this.db.prepare(`SELECT * FROM orders WHERE id = ?`).get(id) as OrderRow | undefined;
    if (!row) throw new NotFoundError(`No order ${id}.`);
    return toOrder(row);
  }

  transition(id: string, to: OrderStatus, reason?: string): Order {
    const order = this.get(id);
    if (order.status === to) return order;
    if (!canTransition(order.status, to)) {
      throw new InvalidTransitionError(`Order ${id} is ${order.status}; it cannot become ${to}.`);
    }
    this.db.prepare(`UPDATE orders SET status = ?, reason = ?, updated_at = ? WHERE id = ?`).run(to, reason ?? order.reason, new Date().toISOString(), id);
    return this.get(id);
  }
}

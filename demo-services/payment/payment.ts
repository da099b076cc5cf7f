/**
 * Settling an order's payment, once: a payment row per order, the order id as
 * the provider's idempotency key, and a clear outcome for every path — charged,
 * declined, or provider unavailable (the degraded path: the order is cancelled
 * rather than left waiting).
 */
import type { Database } from '../shared/database';
import { CardDeclinedError } from '../shared/errors';
import type { OrderCreated } from '../shared/events';

export type ChargeResult = { kind: 'charged'; reference: string } | { kind: 'unavailable'; message: string };

export type PaymentOutcome =
  | { status: 'succeeded'; reference: string }
  | { status: 'failed'; reason: 'declined' | 'provider_unavailable'; message: string };

interface PaymentRow {
  order_id: string;
  amount_cents: number;
  status: 'pending' | 'succeeded' | 'failed';
  provider_ref: string | null;
  reason: 'declined' | 'provider_unavailable' | null;
  detail: string | null;
}

export class Payments {
  constructor(private readonly db: Database.Database) {}

  async settle(order: OrderCreated, charge: (idempotencyKey: string, amountCents: number, customerId: string) => Promise<ChargeResult>): Promise<PaymentOutcome> {
    const settled = this.settledOutcome(order.orderId);
    if (settled) return settled;
    this.db
      .prepare(`INSERT INTO payments (order_id, user_id, amount_cents, status, updated_at) VALUES (?, ?, ?, 'pending', ?) ON CONFLICT (order_id) DO NOTHING`)
      .run(order.orderId, order.userId, order.totalCents, new Date().toISOString());

    let outcome: PaymentOutcome;
    try {
      const result = await charge(order.orderId, order.totalCents, order.userId);
      outcome =
        result.kind === 'charged'
          ? { status: 'succeeded', reference: result.reference }
          : { status: 'failed', reason: 'provider_unavailable', message: result.message };
    } catch (error) {
      if (!(error instanceof CardDeclinedError)) throw error;
      outcome = { status: 'failed', reason: 'declined', message: error.message };
    }
    const failed = outcome.status === 'failed' ? outcome : undefined;
    this.db
      .prepare(`UPDATE payments SET status = ?, provider_ref = ?, reason = ?, detail = ?, updated_at = ? WHERE order_id = ?`)
      .run(outcome.status, outcome.status === 'succeeded' ? outcome.reference : null, failed?.reason ?? null, failed?.message ?? null, new Date().toISOString(), order.orderId);
    return outcome;
  }

  get(orderId: string): PaymentRow | undefined {
    return this.db.prepare(`SELECT * FROM payments WHERE order_id = ?`).get(orderId) as PaymentRow | undefined;
  }

  private settledOutcome(orderId: string): PaymentOutcome | undefined {
    const row = this.get(orderId);
    if (row?.status === 'succeeded') return { status: 'succeeded', reference: row.provider_ref ?? '' };
    if (row?.status === 'failed') return { status: 'failed', reason: row.reason ?? 'provider_unavailable', message: row.detail ?? '' };
    return undefined;
  }
}

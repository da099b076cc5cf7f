import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../shared/database';
import { InvalidTransitionError } from '../shared/errors';
import { OrderBook, canTransition } from './order';

describe('order state machine', () => {
  let dir: string;
  let db: Database.Database;
  let orders: OrderBook;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'faultline-order-'));
    db = openDatabase(dir, 'order', [new URL('./schema.sql', import.meta.url)]);
    orders = new OrderBook(db);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('allows created → paid → fulfilled and created → cancelled only', () => {
    expect(canTransition('created', 'paid')).toBe(true);
    expect(canTransition('paid', 'fulfilled')).toBe(true);
    expect(canTransition('created', 'cancelled')).toBe(true);
    expect(canTransition('created', 'fulfilled')).toBe(false);
    expect(canTransition('cancelled', 'paid')).toBe(false);
    expect(canTransition('fulfilled', 'cancelled')).toBe(false);
  });

  it('creates an order with its total', () => {
    const order = orders.create('u001', [
      { productId: 'p-mug', quantity: 2, unitPriceCents: 1490 },
      { productId: 'p-tea', quantity: 1, unitPriceCents: 1590 },
    ]);
    expect(order.status).toBe('created');
    expect(order.totalCents).toBe(4570);
  });

  it('treats a repeated transition as a no-op', () => {
    const order = orders.create('u001', [{ productId: 'p-mug', quantity: 1, unitPriceCents: 1490 }]);
    orders.transition(order.id, 'paid');
    expect(orders.transition(order.id, 'paid').status).toBe('paid');
  });

  it('refuses a transition out of order', () => {
    const order = orders.create('u001', [{ productId: 'p-mug', quantity: 1, unitPriceCents: 1490 }]);
    orders.transition(order.id, 'cancelled', 'payment declined');
    expect(() => orders.transition(order.id, 'paid')).toThrow(InvalidTransitionError);
    expect(orders.get(order.id).reason).toBe('payment declined');
  });
});

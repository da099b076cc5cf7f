import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempDatabase } from '../testing';
import { InvalidTransitionError } from '../shared/errors';
import { OrderBook, canTransition } from './order';

describe('order state machine', () => {
  let database: ReturnType<typeof openTempDatabase>;
  let orders: OrderBook;

  beforeEach(() => {
    database = openTempDatabase('order', new URL('./schema.sql', import.meta.url));
    orders = new OrderBook(database.db);
  });
  afterEach(() => {
    database.close();
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

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempDatabase } from '../testing';
import { NotFoundError } from '../shared/errors';
import { Inventory } from './inventory';

describe('inventory reservations', () => {
  let database: ReturnType<typeof openTempDatabase>;
  let inventory: Inventory;

  beforeEach(() => {
    database = openTempDatabase('inventory', new URL('./schema.sql', import.meta.url));
    inventory = new Inventory(database.db);
    inventory.seedCatalogue();
  });
  afterEach(() => {
    database.close();
  });

  const stockOf = (id: string) => inventory.product(id).stock;

  it('prices and checks availability line by line', () => {
    const availability = inventory.checkAvailability([{ productId: 'p-mug', quantity: 2 }]);
    expect(availability.available).toBe(true);
    expect(availability.lines[0]).toMatchObject({ productId: 'p-mug', unitPriceCents: 1490, inStock: 500 });
    expect(inventory.checkAvailability([{ productId: 'p-mug', quantity: 501 }]).available).toBe(false);
  });

  it('refuses an unknown product with a pointer to the catalogue', () => {
    expect(() => inventory.checkAvailability([{ productId: 'p-unicorn', quantity: 1 }])).toThrow(NotFoundError);
  });

  it('takes stock once per order, however often the event comes', () => {
    expect(inventory.reserve('ord_1', [{ productId: 'p-tea', quantity: 3 }])).toBe('reserved');
    expect(inventory.reserve('ord_1', [{ productId: 'p-tea', quantity: 3 }])).toBe('reserved');
    expect(stockOf('p-tea')).toBe(497);
  });

  it('gives stock back once when the payment fails', () => {
    inventory.reserve('ord_2', [{ productId: 'p-tea', quantity: 3 }]);
    expect(inventory.release('ord_2')).toBe('released');
    expect(inventory.release('ord_2')).toBe('released');
    expect(stockOf('p-tea')).toBe(500);
  });

  it('does not release a committed reservation', () => {
    inventory.reserve('ord_3', [{ productId: 'p-tea', quantity: 1 }]);
    inventory.commit('ord_3');
    expect(inventory.release('ord_3')).toBe('committed');
    expect(stockOf('p-tea')).toBe(499);
  });

  it('marks a reservation short when stock ran out since the check', () => {
    expect(inventory.reserve('ord_4', [{ productId: 'p-kettle', quantity: 501 }])).toBe('short');
    expect(stockOf('p-kettle')).toBe(500);
  });

  it('restocks a product that runs low', () => {
    inventory.reserve('ord_5', [{ productId: 'p-scale', quantity: 460 }]);
    expect(stockOf('p-scale')).toBe(540);
  });
});

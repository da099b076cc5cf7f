import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempDatabase } from '../testing';
import { CardDeclinedError, DependencyError } from '../shared/errors';
import type { OrderCreated } from '../shared/events';
import { Payments, type ChargeResult } from './payment';

const order: OrderCreated = { orderId: 'ord_1', userId: 'u001', items: [{ productId: 'p-mug', quantity: 1, unitPriceCents: 1490 }], totalCents: 1490 };

describe('settling a payment', () => {
  let database: ReturnType<typeof openTempDatabase>;
  let payments: Payments;

  beforeEach(() => {
    database = openTempDatabase('payment', new URL('./schema.sql', import.meta.url));
    payments = new Payments(database.db);
  });
  afterEach(() => {
    database.close();
  });

  it('charges with the order id as idempotency key, once', async () => {
    const keys: string[] = [];
    const charge = async (key: string): Promise<ChargeResult> => {
      keys.push(key);
      return { kind: 'charged', reference: 'ch_1' };
    };
    expect(await payments.settle(order, charge)).toEqual({ status: 'succeeded', reference: 'ch_1' });
    expect(await payments.settle(order, charge)).toEqual({ status: 'succeeded', reference: 'ch_1' });
    expect(keys).toEqual(['ord_1']);
  });

  it('records a decline as a failed payment', async () => {
    const outcome = await payments.settle(order, async () => {
      throw new CardDeclinedError();
    });
    expect(outcome).toMatchObject({ status: 'failed', reason: 'declined' });
    expect(payments.get('ord_1')).toMatchObject({ status: 'failed', reason: 'declined' });
  });

  it('records an unavailable provider as the degraded outcome', async () => {
    const outcome = await payments.settle(order, async () => ({ kind: 'unavailable', message: 'circuit open' }));
    expect(outcome).toEqual({ status: 'failed', reason: 'provider_unavailable', message: 'circuit open' });
    expect(await payments.settle(order, async () => ({ kind: 'charged', reference: 'late' }))).toEqual(outcome);
  });

  it('leaves the payment pending when charging fails unexpectedly', async () => {
    await expect(
      payments.settle(order, async () => {
        throw new DependencyError('payment-provider', 'boom', true);
      }),
    ).rejects.toThrow('boom');
    expect(payments.get('ord_1')?.status).toBe('pending');
  });
});

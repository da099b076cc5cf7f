/**
 * The domain events and their payloads: the contract between publishers and
 * consumers, validated on receipt like any other input.
 */
import { z } from 'zod';
import type { EventEnvelope } from './eventBus';
import { parseInput } from './httpServer';

export const orderCreatedSchema = z.object({
  orderId: z.string(),
  userId: z.string(),
  items: z.array(z.object({ productId: z.string(), quantity: z.number().int().positive(), unitPriceCents: z.number().int() })),
  totalCents: z.number().int(),
});
export type OrderCreated = z.infer<typeof orderCreatedSchema>;

export const paymentSucceededSchema = z.object({
  orderId: z.string(),
  userId: z.string(),
  paymentId: z.string(),
  amountCents: z.number().int(),
});
export type PaymentSucceeded = z.infer<typeof paymentSucceededSchema>;

export const paymentFailedSchema = z.object({
  orderId: z.string(),
  userId: z.string(),
  reason: z.enum(['declined', 'provider_unavailable']),
  message: z.string(),
});
export type PaymentFailed = z.infer<typeof paymentFailedSchema>;

export function eventData<S extends z.ZodType>(schema: S, envelope: EventEnvelope): z.infer<S> {
  return parseInput(schema, envelope.data, `${envelope.type} event`);
}

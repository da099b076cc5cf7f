/**
 * A simulated external card processor, in-process: it answers in 20–60 ms,
 * honours idempotency keys like real processors do (a repeated key returns the
 * first charge, never a second one), always declines one demo customer's card
 * (like a payment provider's test cards), and obeys
 * the paymentProvider* fault flags. Its CLIENT span stands for the network call.
 */
import { randomUUID } from 'node:crypto';
import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { CardDeclinedError, DependencyError } from '../shared/errors';
import { FAULT_FLAGS, type FaultFlags } from '../shared/faultFlags';

export const PAYMENT_PROVIDER = 'payment-provider';

export interface ChargeRequest {
  idempotencyKey: string;
  amountCents: number;
  customerId: string;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    }, { once: true });
  });
}

/** customer13@shop.example: every charge to this customer's card is declined. */
export const DECLINED_CUSTOMER_ID = 'u013';

export class PaymentProvider {
  private readonly charges = new Map<string, string>();

  constructor(
    private readonly tracer: Tracer,
    private readonly flags: FaultFlags,
  ) {}

  /** Resolves with the provider's charge reference. */
  charge(request: ChargeRequest, signal: AbortSignal): Promise<string> {
    return this.tracer.startActiveSpan(
      `${PAYMENT_PROVIDER} POST /v1/charges`,
      { kind: SpanKind.CLIENT, attributes: { 'peer.service': PAYMENT_PROVIDER, 'server.address': 'api.payments.example', 'payment.amount_cents': request.amountCents } },
      async (span) => {
        try {
          const slow = this.flags.fires('paymentProviderSlowdown', span);
          await pause(slow ? FAULT_FLAGS.paymentProviderSlowdown.delayMs : 20 + Math.random() * 40, signal);
          this.flags.failIfFired('paymentProviderFailure', span);
          if (request.customerId === DECLINED_CUSTOMER_ID) {
            // The provider answered, and correctly: a decline is an outcome, not an error of the call.
            span.setAttribute('payment.outcome', 'declined');
            throw new CardDeclinedError('The card was declined by the issuer (insufficient funds).');
          }
          let reference = this.charges.get(request.idempotencyKey);
          if (!reference) {
            reference = `ch_${randomUUID()}`;
            this.charges.set(request.idempotencyKey, reference);
          }
          span.setAttributes({ 'payment.outcome': 'charged', 'payment.charge_id': reference });
          return reference;
        } catch (error) {
          if (error instanceof CardDeclinedError) throw error;
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
          if (signal.aborted) throw error;
          throw new DependencyError(PAYMENT_PROVIDER, `${PAYMENT_PROVIDER} answered 503: ${(error as Error).message}`, true, 503);
        } finally {
          span.end();
        }
      },
    );
  }
}

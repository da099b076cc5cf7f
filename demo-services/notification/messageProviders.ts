/**
 * Simulated email, SMS and push gateways, in-process: 10–40 ms per send, an
 * idempotency key per message (a repeated send is not a second message), and
 * the notificationProviderFailure flag. Each send has a CLIENT span that stands
 * for the network call.
 */
import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { DependencyError } from '../shared/errors';
import type { FaultFlags } from '../shared/faultFlags';

export type Channel = 'email' | 'sms' | 'push';

export const providerName = (channel: Channel) => `${channel}-provider`;

export class MessageProvider {
  private readonly delivered = new Set<string>();

  constructor(
    readonly channel: Channel,
    private readonly tracer: Tracer,
    private readonly flags: FaultFlags,
  ) {}

  send(messageId: string, signal: AbortSignal): Promise<void> {
    const name = providerName(this.channel);
    return this.tracer.startActiveSpan(
      `${name} send`,
      { kind: SpanKind.CLIENT, attributes: { 'peer.service': name, 'server.address': `${this.channel}.messaging.example`, 'notification.channel': this.channel } },
      async (span) => {
        try {
          await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(resolve, 10 + Math.random() * 30);
            signal.addEventListener('abort', () => {
              clearTimeout(timer);
              reject(signal.reason as Error);
            }, { once: true });
          });
          if (this.flags.fires('notificationProviderFailure', span)) {
            throw new DependencyError(name, `${name} answered 503: fault injected by notificationProviderFailure`, true, 503);
          }
          this.delivered.add(messageId);
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }
}

/**
 * Alert notifications to webhooks: a JSON POST per receiver, retried with exponential backoff on a
 * network error, 408, 429 or 5xx (a 4xx other than those won't get better by asking again). Each
 * receiver has its own ordered queue, so a slow one delays nobody else and a resolved notice never
 * overtakes its firing one.
 */
import type { Webhook } from '../contract/slo';

export type RetryPolicy = { attempts: number; firstDelayMs: number; maxDelayMs: number; timeoutMs: number };
export const defaultRetry: RetryPolicy = { attempts: 6, firstDelayMs: 1_000, maxDelayMs: 60_000, timeoutMs: 10_000 };

export type Delivery = { url: string; ok: boolean; attempts: number; status?: number; error?: string };

const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

/** Sends one notification until it is accepted, refused for good, or out of attempts. */
export async function deliver(webhook: Webhook, payload: unknown, retry: RetryPolicy, signal?: AbortSignal): Promise<Delivery> {
  let last: Delivery = { url: webhook.url, ok: false, attempts: 0 };
  for (let attempt = 1; attempt <= retry.attempts; attempt++) {
    if (signal?.aborted) break;
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...webhook.headers },
        body: JSON.stringify(payload),
        signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(retry.timeoutMs)]) : AbortSignal.timeout(retry.timeoutMs),
      });
      await response.body?.cancel();
      last = { url: webhook.url, ok: response.ok, attempts: attempt, status: response.status };
      if (response.ok || !retryable(response.status)) return last;
    } catch (error) {
      last = { url: webhook.url, ok: false, attempts: attempt, error: (error as Error).message };
    }
    if (attempt < retry.attempts) await pause(Math.min(retry.maxDelayMs, retry.firstDelayMs * 2 ** (attempt - 1)), signal);
  }
  return last;
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Per-receiver queues; `drain` waits for everything queued so far. */
export class WebhookQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly abort = new AbortController();

  constructor(
    private readonly retry: RetryPolicy,
    private readonly onDelivery: (delivery: Delivery) => void,
  ) {}

  send(webhooks: readonly Webhook[], payload: unknown): void {
    for (const webhook of webhooks) {
      const previous = this.tails.get(webhook.url) ?? Promise.resolve();
      const next = previous.then(() => deliver(webhook, payload, this.retry, this.abort.signal)).then(this.onDelivery);
      this.tails.set(webhook.url, next);
    }
  }

  async drain(): Promise<void> {
    await Promise.all(this.tails.values());
  }

  /** Gives up on retries still waiting and waits for the attempts in flight. */
  async close(): Promise<void> {
    this.abort.abort();
    await this.drain();
  }
}

/**
 * The idempotent consumer: an event is written to the `inbox` table when it
 * arrives (before the broker gets its acknowledgement), handled once, and
 * marked done. A redelivered event only bumps `deliveries`. Events left pending
 * by a crash are handled again on start-up, so handlers must tolerate a repeat
 * of their own side effects (they key them by event or order id). The row keeps
 * the message's trace context (`traceparent`, `tracestate`) beside the
 * envelope's fields, so an event handled after a restart still joins its trace.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace, type Tracer } from '@opentelemetry/api';
import type { Database } from './database';
import { messagingAttributes, type EventEnvelope, type TraceCarrier } from './eventBus';
import { NotFoundError } from './errors';
import type { Route } from './httpServer';
import type { Logger } from './logger';
import { runWithRequestContext } from './requestContext';

export const INBOX_SCHEMA = new URL('./inbox.sql', import.meta.url);

export type EventHandler = (envelope: EventEnvelope) => Promise<void>;

type StoredEvent = EventEnvelope & { traceparent?: string; tracestate?: string };

export interface InboxOptions {
  db: Database.Database;
  brokerUrl: string;
  tracer: Tracer;
  logger: Logger;
  handlers: Record<string, EventHandler>;
}

export class Inbox {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly insert;
  private readonly countRedelivery;
  private readonly finish;

  constructor(private readonly options: InboxOptions) {
    const { db } = options;
    this.insert = db.prepare(
      `INSERT INTO inbox (event_id, topic, envelope, status, received_at) VALUES (?, ?, ?, 'pending', ?) ON CONFLICT (event_id) DO NOTHING`,
    );
    this.countRedelivery = db.prepare(`UPDATE inbox SET deliveries = deliveries + 1 WHERE event_id = ?`);
    this.finish = db.prepare(`UPDATE inbox SET status = ?, processed_at = ?, error = ? WHERE event_id = ?`);
  }

  /** Topics this inbox has handlers for. */
  get topics(): string[] {
    return Object.keys(this.options.handlers);
  }

  /** Records the event (synchronously, so the broker ack follows a durable write) and starts handling it. */
  accept(topic: string, envelope: EventEnvelope, traceContext: TraceCarrier): void {
    const stored: StoredEvent = { ...envelope, traceparent: traceContext.traceparent, tracestate: traceContext.tracestate };
    const inserted = this.insert.run(envelope.id, topic, JSON.stringify(stored), new Date().toISOString()).changes === 1;
    if (!inserted) {
      this.countRedelivery.run(envelope.id);
      this.options.logger.info({ event_id: envelope.id, topic }, 'duplicate event ignored');
      return;
    }
    this.track(this.handle(topic, stored));
  }

  /** What happened to one event: for operators and tests. */
  describe(eventId: string): { eventId: string; topic: string; status: string; deliveries: number; error: string | null } {
    const row = this.options.db.prepare(`SELECT topic, status, deliveries, error FROM inbox WHERE event_id = ?`).get(eventId) as
      | { topic: string; status: string; deliveries: number; error: string | null }
      | undefined;
    if (!row) throw new NotFoundError(`No event ${eventId} in this service's inbox.`);
    return { eventId, ...row };
  }

  /** `GET /admin/inbox/:eventId`. */
  routes(): Route[] {
    return [{ method: 'GET', path: '/admin/inbox/:eventId', handler: ({ params }) => ({ body: this.describe(params.eventId!) }) }];
  }

  /** Handles events a previous run accepted but did not finish. */
  resumePending(): number {
    const rows = this.options.db.prepare(`SELECT topic, envelope FROM inbox WHERE status = 'pending'`).all() as { topic: string; envelope: string }[];
    for (const row of rows) this.track(this.handle(row.topic, JSON.parse(row.envelope) as StoredEvent));
    return rows.length;
  }

  /** Waits for the events being handled (for a clean stop). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async handle(topic: string, envelope: StoredEvent): Promise<void> {
    const handler = this.options.handlers[topic];
    const parent = propagation.extract(ROOT_CONTEXT, envelope);
    const span = this.options.tracer.startSpan(
      `process ${topic}`,
      { kind: SpanKind.CONSUMER, attributes: messagingAttributes(this.options.brokerUrl, topic, 'process', envelope.id) },
      parent,
    );
    await context.with(trace.setSpan(parent, span), () =>
      runWithRequestContext(async () => {
        const started = performance.now();
        try {
          if (!handler) throw new Error(`No handler for topic ${topic}.`);
          await handler(envelope);
          this.finish.run('done', new Date().toISOString(), null, envelope.id);
          this.options.logger.info({ event_id: envelope.id, topic, type: envelope.type, latency_ms: elapsed(started) }, 'event handled');
        } catch (error) {
          // Kept as `failed` with its error, never silently dropped.
          const message = error instanceof Error ? error.message : String(error);
          this.finish.run('failed', new Date().toISOString(), message, envelope.id);
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message });
          this.options.logger.error({ err: error, event_id: envelope.id, topic, latency_ms: elapsed(started) }, 'event handling failed');
        } finally {
          span.end();
        }
      }),
    );
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}

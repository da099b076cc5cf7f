/**
 * What the shop tells its customers, and when: an order confirmation on
 * OrderCreated, a receipt (email + push) on PaymentSucceeded, and an apology
 * (email + SMS) on PaymentFailed. Messages are keyed by (event, channel), so a
 * repeated event adds nothing, and stay pending until a provider takes them.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../shared/database';
import type { Channel } from './messageProviders';

export interface Message {
  id: string;
  eventId: string;
  orderId: string;
  userId: string;
  kind: string;
  channel: Channel;
  body: string;
  status: 'pending' | 'sent';
  attempts: number;
  lastError: string | null;
}

export interface MessagePlan {
  kind: string;
  channels: Channel[];
  body: string;
}

interface MessageRow {
  id: string;
  event_id: string;
  order_id: string;
  user_id: string;
  kind: string;
  channel: Channel;
  body: string;
  status: 'pending' | 'sent';
  attempts: number;
  last_error: string | null;
}

const toMessage = (row: MessageRow): Message => ({
  id: row.id,
  eventId: row.event_id,
  orderId: row.order_id,
  userId: row.user_id,
  kind: row.kind,
  channel: row.channel,
  body: row.body,
  status: row.status,
  attempts: row.attempts,
  lastError: row.last_error,
});

export function formatCents(cents: number): string {
  return `€${(cents / 100).toFixed(2)}`;
}

export class Notifications {
  constructor(private readonly db: Database.Database) {}

  /** Records the messages an event calls for; returns the ones still to send. */
  record(eventId: string, orderId: string, userId: string, plan: MessagePlan): Message[] {
    const insert = this.db.prepare(
      `INSERT INTO messages (id, event_id, order_id, user_id, kind, channel, body, status, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?) ON CONFLICT (event_id, channel) DO NOTHING`,
    );
    const now = new Date().toISOString();
    this.db.transaction(() => plan.channels.forEach((channel) => insert.run(`msg_${randomUUID()}`, eventId, orderId, userId, plan.kind, channel, plan.body, now)))();
    return (this.db.prepare(`SELECT * FROM messages WHERE event_id = ? AND status = 'pending'`).all(eventId) as MessageRow[]).map(toMessage);
  }

  pending(limit: number): Message[] {
    return (this.db.prepare(`SELECT * FROM messages WHERE status = 'pending' ORDER BY created_at LIMIT ?`).all(limit) as MessageRow[]).map(toMessage);
  }

  markSent(id: string): void {
    this.db.prepare(`UPDATE messages SET status = 'sent', attempts = attempts + 1, last_error = NULL, sent_at = ? WHERE id = ?`).run(new Date().toISOString(), id);
  }

  markAttemptFailed(id: string, error: string): void {
    this.db.prepare(`UPDATE messages SET attempts = attempts + 1, last_error = ? WHERE id = ?`).run(error, id);
  }

  forOrder(orderId: string): Message[] {
    return (this.db.prepare(`SELECT * FROM messages WHERE order_id = ? ORDER BY created_at, channel`).all(orderId) as MessageRow[]).map(toMessage);
  }
}

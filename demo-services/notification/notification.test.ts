import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempDatabase } from '../testing';
import { Notifications } from './notification';

describe('the notification outbox', () => {
  let database: ReturnType<typeof openTempDatabase>;
  let notifications: Notifications;
  const receipt = { kind: 'payment_receipt', channels: ['email', 'push'] as const, body: 'Paid.' };

  beforeEach(() => {
    database = openTempDatabase('notification', new URL('./schema.sql', import.meta.url));
    notifications = new Notifications(database.db);
  });
  afterEach(() => {
    database.close();
  });

  it('records one message per channel, pending until sent', () => {
    const due = notifications.record('evt_1', 'ord_1', 'u001', { ...receipt, channels: [...receipt.channels] });
    expect(due.map((m) => m.channel).sort()).toEqual(['email', 'push']);
    expect(due.every((m) => m.status === 'pending')).toBe(true);
  });

  it('adds nothing for a repeated event', () => {
    notifications.record('evt_1', 'ord_1', 'u001', { ...receipt, channels: [...receipt.channels] });
    notifications.record('evt_1', 'ord_1', 'u001', { ...receipt, channels: [...receipt.channels] });
    expect(notifications.forOrder('ord_1')).toHaveLength(2);
  });

  it('keeps a failed send pending with its error, and lets a later send complete it', () => {
    const [email] = notifications.record('evt_1', 'ord_1', 'u001', { ...receipt, channels: ['email'] });
    notifications.markAttemptFailed(email!.id, 'email-provider answered 503');
    expect(notifications.pending(10)).toMatchObject([{ id: email!.id, attempts: 1, lastError: 'email-provider answered 503' }]);
    notifications.markSent(email!.id);
    expect(notifications.pending(10)).toHaveLength(0);
    expect(notifications.forOrder('ord_1')[0]).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
  });
});

/**
 * Who the current unit of work is for. Handlers set the user once; every log
 * line written inside picks it up as `user_id` without threading it through.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { trace } from '@opentelemetry/api';

const storage = new AsyncLocalStorage<{ userId?: string }>();

export function runWithRequestContext<T>(fn: () => T): T {
  return storage.run({}, fn);
}

/** Records the user for the rest of this request and on its active span (`enduser.id`). */
export function setCurrentUser(userId: string): void {
  const store = storage.getStore();
  if (store) store.userId = userId;
  trace.getActiveSpan()?.setAttribute('enduser.id', userId);
}

export function currentUserId(): string | undefined {
  return storage.getStore()?.userId;
}

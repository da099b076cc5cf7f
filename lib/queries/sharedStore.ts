/**
 * The store for API routes: the one the hosting process opened (`npm start`, `npm run ui`, the test
 * stack) and registered on `globalThis` through `getSharedStore()`/`setSharedStore()`.
 *
 * Route code reads the slot instead of calling `getSharedStore()` because that would bundle the
 * migration runner, whose DDL files are read from disk beside its source — Turbopack can't bundle that
 * directory, and migrations belong to start-up, not to a request. Only the type is imported here.
 */
import { sharedSlot, sharedStoreKey } from '@/lib/clickhouse/sharedSlot';
import type { Store } from '@/lib/clickhouse/store';
import { FaultlineQueryError } from './errors';

export class StoreUnavailableError extends FaultlineQueryError {
  constructor() {
    super(
      'FAULTLINE_ERR_STORE_UNAVAILABLE',
      503,
      'No store is open in this process: serve the dashboard with `npm start` or `npm run ui`, not `next start`.',
    );
  }
}

export async function sharedStore(): Promise<Store> {
  const slot = sharedSlot[sharedStoreKey];
  if (!slot) throw new StoreUnavailableError();
  return slot;
}

/**
 * Where the process's one store lives on `globalThis`, so the collector and Next.js's separately bundled
 * route code find the same store. Kept apart from `store.ts` so route code can read the slot without
 * bundling the migration runner.
 */
import type { Store } from './store';

export const sharedStoreKey = Symbol.for('faultline.store');

export type SharedSlot = { [sharedStoreKey]?: Promise<Store> };

export const sharedSlot = globalThis as SharedSlot;

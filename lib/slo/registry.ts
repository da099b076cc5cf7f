/**
 * Where the running SLO evaluator publishes what the API shows: the definitions in force, the file
 * they came from, and why the last load or evaluation failed. A `globalThis` slot, like the shared
 * store's, because the Next.js route bundles don't share module instances with the hosting process.
 */
import type { SloFile } from './definitions';

export type SloStatus = {
  file: string;
  definitions: SloFile;
  /** Why the file was last refused (the definitions in force are the previous ones), or null. */
  loadError: string | null;
  /** Why the last evaluation failed, or null. */
  evaluationError: string | null;
  lastEvaluatedMs: number | null;
  intervalMs: number;
};

const slotKey = Symbol.for('faultline.slo');
type Slot = { [slotKey]?: SloStatus };

export function publishSloStatus(status: SloStatus | undefined): void {
  (globalThis as Slot)[slotKey] = status;
}

export function readSloStatus(): SloStatus | undefined {
  return (globalThis as Slot)[slotKey];
}

/** The definitions of a file the dashboard just saved are in force at once; the watcher would load the same a second later. */
export function applySavedDefinitions(definitions: SloFile): void {
  const status = readSloStatus();
  if (!status) return;
  status.definitions = definitions;
  status.loadError = null;
}

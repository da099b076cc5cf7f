/** What the running SLO evaluator publishes for the API (through `lib/host.ts`). */
import { readSloStatus } from '../host';
import type { SloFile } from '../contract/slo';

/** The definitions of a file the dashboard just saved are in force at once; the watcher would load the same a second later. */
export function applySavedDefinitions(definitions: SloFile): void {
  const status = readSloStatus();
  if (!status) return;
  status.definitions = definitions;
  status.loadError = null;
}

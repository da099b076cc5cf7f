/**
 * A file in the embedded store's data directory for as long as a process has the store open. Found
 * when the store opens, it says the last process never closed it: killed (SIGKILL, OOM) or crashed,
 * maybe in the middle of an insert whose senders never got their answer and will send again.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const markerName = 'faultline.open';

export type OpenMarker = {
  /** Whether the directory's last process left it without closing the store. */
  uncleanStop: boolean;
  /** Removes the marker: the store was closed after its last insert was answered. */
  clear(): void;
};

export function markOpen(dataDir: string): OpenMarker {
  const path = join(dataDir, markerName);
  const uncleanStop = existsSync(path);
  writeFileSync(path, `${process.pid}\n`);
  return { uncleanStop, clear: () => rmSync(path, { force: true }) };
}

/**
 * Loads `faultline.slo.yaml` and reloads it when it changes. A missing file means no SLOs; a bad one
 * is reported and the previous definitions stay in force, so a typo never silences alerting.
 */
import { existsSync, readFileSync, unwatchFile, watchFile } from 'node:fs';
import { parseSloFile, type SloFile } from './definitions';

export type SloFileLoad = { definitions: SloFile; error: string | null };

const empty: SloFile = { slos: [], webhooks: [] };

export function loadSloFile(path: string, previous: SloFile = empty): SloFileLoad {
  if (!existsSync(path)) return { definitions: empty, error: null };
  try {
    return { definitions: parseSloFile(readFileSync(path, 'utf8'), path), error: null };
  } catch (error) {
    return { definitions: previous, error: (error as Error).message };
  }
}

/** Calls `onChange` after the file is written, created or removed; stat polling works on every file system. */
export function watchSloFile(path: string, onChange: () => void, intervalMs = 1_000): () => void {
  const listener = () => onChange();
  watchFile(path, { interval: intervalMs, persistent: false }, listener);
  return () => unwatchFile(path, listener);
}

/**
 * Loads `faultline.slo.yaml` and reloads it when it changes. A missing file means no SLOs; a bad one
 * is reported and the previous definitions stay in force, so a typo never silences alerting. Edits
 * from the dashboard are validated before they are written, and written whole (temporary file, then
 * rename), so the watcher never reads half a file.
 */
import { existsSync, readFileSync, renameSync, unwatchFile, watchFile, writeFileSync } from 'node:fs';
import { parseSloFile } from './definitions';
import type { SloFile } from '../contract/slo';

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

export function readSloFileText(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

/** Validates `text` (throwing `SloDefinitionError` naming the field) and replaces the file with it. */
export function saveSloFile(path: string, text: string): SloFile {
  const definitions = parseSloFile(text, path);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
  return definitions;
}

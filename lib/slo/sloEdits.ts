/**
 * The SLO file as the dashboard edits it: the file's text (the advanced editor), one SLO at a time
 * (the SLO form) and the webhook list. Every edit is validated before the file is written; a refusal is
 * a `400 FAULTLINE_ERR_BAD_PARAMETER` naming each wrong field, and the file is left as it was. A saved
 * file's definitions are in force as soon as the answer arrives.
 */
import { createHash } from 'node:crypto';
import { BadParameterError, ConflictError } from '@/lib/errors';
import { SloDefinitionError } from './definitions';
import type { SloFile, Webhook } from '../contract/slo';
import { applySavedDefinitions } from './sloStatus';
import { addSloEntry, removeSloEntry, replaceSloEntry, replaceWebhooks } from './sloDocument';
import { readSloFileText, saveSloFile } from './sloFile';
import { runningSloStatus } from './sloReport';
import type { SloFileSaved, SloFileText } from '@/lib/contract/slo';

const maxSloFileChars = 1_000_000;

function save(write: (file: string) => SloFile): SloFileSaved {
  const { file } = runningSloStatus();
  try {
    const definitions = write(file);
    applySavedDefinitions(definitions);
    return { file, slos: definitions.slos.length };
  } catch (error) {
    if (error instanceof SloDefinitionError) throw new BadParameterError(error.message, error.fields);
    throw error;
  }
}

const versionOf = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

export function getSloFileText(): SloFileText {
  const { file } = runningSloStatus();
  const text = readSloFileText(file);
  return { file, text, version: versionOf(text) };
}

/**
 * Replaces the whole file with `text`. With `baseVersion`, only if the file is still the text the edit
 * started from: a whole-file save would otherwise undo changes made meanwhile (by the form, another
 * tab, or someone editing the file on disk).
 */
export function putSloFileText(text: string, baseVersion?: string): SloFileSaved {
  if (text.length > maxSloFileChars) throw new BadParameterError(`the SLO file is longer than ${maxSloFileChars} characters`);
  return save((file) => {
    if (baseVersion !== undefined && versionOf(readSloFileText(file)) !== baseVersion) {
      throw new ConflictError(`${file} has changed since this text was loaded; reload it and make the edit again`);
    }
    return saveSloFile(file, text);
  });
}

/** `entry` is one SLO as the file writes it (`window: "30d"`); blank `name` and `operation` mean absent. */
export function addSlo(entry: unknown): SloFileSaved {
  return save((file) => addSloEntry(file, entry));
}

export function replaceSlo(id: string, entry: unknown): SloFileSaved {
  return save((file) => replaceSloEntry(file, id, entry));
}

export function deleteSlo(id: string): SloFileSaved {
  return save((file) => removeSloEntry(file, id));
}

export function getWebhooks(): { webhooks: Webhook[] } {
  return { webhooks: runningSloStatus().definitions.webhooks };
}

export function putWebhooks(webhooks: unknown): SloFileSaved {
  return save((file) => replaceWebhooks(file, webhooks));
}

/**
 * The SLO file as the dashboard edits it: the file's text (the advanced editor), one SLO at a time
 * (the SLO form) and the webhook list. Every edit is validated before the file is written; a refusal is
 * a `400 FAULTLINE_ERR_BAD_PARAMETER` naming each wrong field, and the file is left as it was. A saved
 * file's definitions are in force as soon as the answer arrives.
 */
import { BadParameterError } from '@/lib/queries/errors';
import { SloDefinitionError, type SloFile, type Webhook } from './definitions';
import { applySavedDefinitions } from './registry';
import { addSloEntry, removeSloEntry, replaceSloEntry, replaceWebhooks } from './sloDocument';
import { readSloFileText, saveSloFile } from './sloFile';
import { runningSloStatus } from './sloReport';

export type SloFileText = { file: string; text: string };
export type SloFileSaved = { file: string; slos: number };

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

export function getSloFileText(): SloFileText {
  const { file } = runningSloStatus();
  return { file, text: readSloFileText(file) };
}

/** Replaces the whole file with `text`. */
export function putSloFileText(text: string): SloFileSaved {
  if (text.length > maxSloFileChars) throw new BadParameterError(`the SLO file is longer than ${maxSloFileChars} characters`);
  return save((file) => saveSloFile(file, text));
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

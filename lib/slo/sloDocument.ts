/**
 * Edits of `faultline.slo.yaml` one part at a time, as the dashboard's SLO form makes them: add, replace
 * or remove one SLO, or replace the webhook list. The part is validated on its own first, so every
 * wrong field is named; it is then put into the file's YAML document, so comments and the other
 * entries stay as they were written, and the whole file is validated again and saved.
 */
import { isMap, isScalar, isSeq, parseDocument, type Document, type YAMLSeq } from 'yaml';
import { NotFoundError } from '@/lib/errors';
import { parseSloEntry, parseSloFile, parseWebhooks, SloDefinitionError } from './definitions';
import type { SloEntry, SloFile } from '../contract/slo';
import { readSloFileText, saveSloFile } from './sloFile';

type Edit = (document: Document, slos: YAMLSeq, current: SloFile) => void;

/** Reads the file (which must be valid, so positions match definitions), applies `edit`, saves it whole. */
function editSloFile(path: string, edit: Edit): SloFile {
  const text = readSloFileText(path) || 'slos: []\n';
  const current = parseSloFile(text, path);
  const document = parseDocument(text);
  const slos = document.get('slos');
  if (!isSeq(slos)) throw new Error(`${path} is valid, so its slos are a sequence`);
  edit(document, slos, current);
  // `slos: []` is a flow sequence; SLOs read best one field a line.
  slos.flow = false;
  // No folding: lines stay as long as they were written.
  return saveSloFile(path, document.toString({ lineWidth: 0 }));
}

const fieldOrder = ['id', 'name', 'service', 'operation', 'objective', 'thresholdMs', 'target', 'window'] as const satisfies readonly (keyof SloEntry)[];

/** The entry's fields in the file's order. */
function orderedEntry(entry: SloEntry): SloEntry {
  return Object.fromEntries(fieldOrder.flatMap((field) => (entry[field] === undefined ? [] : [[field, entry[field]]]))) as SloEntry;
}

/** Empty optional text fields (a form's blank inputs) mean absent. */
function withoutBlanks(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  return Object.fromEntries(Object.entries(raw).filter(([key, value]) => !(['name', 'operation'].includes(key) && value === '')));
}

function indexOf(current: SloFile, id: string): number {
  const index = current.slos.findIndex((slo) => slo.id === id);
  if (index < 0) throw new NotFoundError(`no SLO ${id} in faultline.slo.yaml`);
  return index;
}

export function addSloEntry(path: string, raw: unknown): SloFile {
  const entry = orderedEntry(parseSloEntry(withoutBlanks(raw)));
  return editSloFile(path, (document, slos, current) => {
    if (current.slos.some((slo) => slo.id === entry.id)) {
      throw new SloDefinitionError(`id: an SLO with the id ${entry.id} exists already`, { id: 'an SLO with this id exists already' });
    }
    slos.add(document.createNode(entry));
  });
}

/**
 * Replaces the SLO `id` field by field, so the comments on its fields stay. Its id can't change: the
 * alert history is kept by id.
 */
export function replaceSloEntry(path: string, id: string, raw: unknown): SloFile {
  const entry = orderedEntry(parseSloEntry(withoutBlanks(raw)));
  return editSloFile(path, (document, slos, current) => {
    const index = indexOf(current, id);
    if (entry.id !== id) throw new SloDefinitionError(`id: can't change (${id}); add a new SLO and delete this one`, { id: "can't change; add a new SLO and delete this one" });
    const slo = slos.items[index];
    if (!isMap(slo)) throw new Error(`slos[${index}] is valid, so it is a mapping`);
    for (const field of fieldOrder) {
      const value = entry[field];
      if (value === undefined) slo.delete(field);
      else slo.set(field, value);
    }
    const rank = (key: unknown) => fieldOrder.indexOf(String(isScalar(key) ? key.value : key) as (typeof fieldOrder)[number]);
    slo.items.sort((a, b) => rank(a.key) - rank(b.key));
  });
}

export function removeSloEntry(path: string, id: string): SloFile {
  return editSloFile(path, (_document, slos, current) => {
    slos.items.splice(indexOf(current, id), 1);
  });
}

export function replaceWebhooks(path: string, raw: unknown): SloFile {
  const webhooks = parseWebhooks(raw);
  return editSloFile(path, (document) => {
    document.set('webhooks', document.createNode(webhooks));
  });
}

/**
 * The SLO form's state: every input as the text it shows, read from an SLO in force and turned back
 * into the entry the API writes to the file. The form doesn't judge the values; the API names each
 * wrong field.
 */
import { type SloEntry, durationBoundariesMs, type SloSummary } from '@/lib/contract/slo';

export type WindowUnit = 'd' | 'h';

export type SloDraft = {
  id: string;
  name: string;
  service: string;
  operation: string;
  objective: SloEntry['objective'];
  /** One of `durationBoundariesMs`, or '' before one is chosen. */
  thresholdMs: string;
  target: string;
  windowCount: string;
  windowUnit: WindowUnit;
};

export const newSloDraft: SloDraft = {
  id: '',
  name: '',
  service: '',
  operation: '',
  objective: 'availability',
  thresholdMs: '',
  target: '99.9',
  windowCount: '30',
  windowUnit: 'd',
};

export function draftFromSlo(slo: SloSummary['slo']): SloDraft {
  const days = slo.windowMs % 86_400_000 === 0;
  return {
    id: slo.id,
    // The file's name is optional and defaults to the id; an unnamed SLO stays unnamed.
    name: slo.name === slo.id ? '' : slo.name,
    service: slo.service,
    operation: slo.operation ?? '',
    objective: slo.objective,
    thresholdMs: slo.thresholdMs === undefined ? '' : String(slo.thresholdMs),
    target: String(slo.target),
    windowCount: String(slo.windowMs / (days ? 86_400_000 : 3_600_000)),
    windowUnit: days ? 'd' : 'h',
  };
}

/** The entry as the file holds it; blank text is left for the API to refuse or, if optional, to omit. */
export function entryFromDraft(draft: SloDraft): Partial<SloEntry> {
  const number = (text: string) => (text.trim() === '' ? undefined : Number(text));
  return {
    id: draft.id.trim(),
    name: draft.name.trim(),
    service: draft.service,
    operation: draft.operation.trim(),
    objective: draft.objective,
    ...(draft.objective === 'latency' ? { thresholdMs: number(draft.thresholdMs) } : {}),
    target: number(draft.target),
    window: `${draft.windowCount.trim()}${draft.windowUnit}`,
  };
}

export function formatThreshold(ms: (typeof durationBoundariesMs)[number]): string {
  return ms < 1000 ? `${ms} ms` : `${ms / 1000} s`;
}

/**
 * Trace-search filters as the URL holds them. Values stay the text the user typed: the API validates
 * them and answers a bad one with a message, which the page shows as it is.
 */
import type { ParamChanges } from '../data/useUrlParams';
import type { ReadableParams } from '../data/timeRange';

export type TraceFilters = {
  service: string;
  operation: string;
  minDurationMs: string;
  maxDurationMs: string;
  status: string;
  attr: string[];
  traceId: string;
};

const textKeys = ['service', 'operation', 'minDurationMs', 'maxDurationMs', 'status', 'traceId'] as const;

export function readFilters(params: ReadableParams & { getAll(name: string): string[] }): TraceFilters {
  const text = (key: (typeof textKeys)[number]) => params.get(key)?.trim() ?? '';
  return {
    service: text('service'),
    operation: text('operation'),
    minDurationMs: text('minDurationMs'),
    maxDurationMs: text('maxDurationMs'),
    status: text('status'),
    attr: params.getAll('attr').filter((value) => value.trim() !== ''),
    traceId: text('traceId'),
  };
}

export function filterChanges(filters: TraceFilters): ParamChanges {
  const changes: ParamChanges = { attr: filters.attr.filter((value) => value.trim() !== '') };
  for (const key of textKeys) changes[key] = filters[key].trim() || null;
  return changes;
}

/** The API's query parameters for these filters, empty ones left out. */
export function filterParams(filters: TraceFilters): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const key of textKeys) if (filters[key]) params[key] = filters[key];
  if (filters.attr.length > 0) params.attr = filters.attr;
  return params;
}

/** A trace-search URL, e.g. for a breaker's rejected calls. */
export function traceSearchHref(filters: Partial<TraceFilters>, carried = ''): string {
  const params = new URLSearchParams(carried.startsWith('?') ? carried.slice(1) : carried);
  for (const [key, value] of Object.entries(filters)) {
    if (Array.isArray(value)) value.forEach((item) => params.append(key, item));
    else if (value) params.set(key, value);
  }
  return `/traces?${params.toString()}`;
}

/**
 * Log-search filters as the URL holds them. Values stay the text the user typed: the API validates
 * them and answers a bad one with a message, which the page shows as it is.
 */
import type { ReadableParams } from '../data/timeRange';
import type { ParamChanges } from '../data/useUrlParams';

export type LogFilters = {
  q: string;
  severity: string[];
  service: string;
  attr: string[];
  traceId: string;
};

const textKeys = ['q', 'service', 'traceId'] as const;
const listKeys = ['severity', 'attr'] as const;

export function readLogFilters(params: ReadableParams & { getAll(name: string): string[] }): LogFilters {
  const text = (key: (typeof textKeys)[number]) => params.get(key)?.trim() ?? '';
  const list = (key: (typeof listKeys)[number]) => params.getAll(key).filter((value) => value.trim() !== '');
  return { q: text('q'), severity: list('severity'), service: text('service'), attr: list('attr'), traceId: text('traceId') };
}

export function logFilterChanges(filters: LogFilters): ParamChanges {
  const changes: ParamChanges = {};
  for (const key of textKeys) changes[key] = filters[key].trim() || null;
  for (const key of listKeys) changes[key] = filters[key].filter((value) => value.trim() !== '');
  return changes;
}

/** The API's query parameters for these filters, empty ones left out. */
export function logFilterParams(filters: LogFilters): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const key of textKeys) if (filters[key]) params[key] = filters[key];
  for (const key of listKeys) if (filters[key].length > 0) params[key] = filters[key];
  return params;
}

/** A logs-explorer URL, e.g. for a trace's logs. */
export function logsHref(filters: Partial<LogFilters>, carried = ''): string {
  const params = new URLSearchParams(carried.startsWith('?') ? carried.slice(1) : carried);
  for (const [key, value] of Object.entries(filters)) {
    if (Array.isArray(value)) value.forEach((item) => params.append(key, item));
    else if (value) params.set(key, value);
  }
  return `/logs?${params.toString()}`;
}

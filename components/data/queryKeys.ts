/**
 * Query-key factories: one place that names every cached answer, so hooks share entries and a key
 * never drifts between the hook that reads it and the code that invalidates it.
 */

export const queryKeys = {
  health: () => ['health'] as const,
  services: (range: string) => ['services', range] as const,
  serviceSeries: (service: string, range: string) => ['services', service, 'series', range] as const,
  operations: (service: string, range: string) => ['services', service, 'operations', range] as const,
  dependencies: (service: string, range: string) => ['services', service, 'dependencies', range] as const,
  traceSearch: (filters: Record<string, unknown>, range: string) => ['traces', 'search', filters, range] as const,
  trace: (traceId: string) => ['traces', traceId] as const,
  traceLogs: (traceId: string) => ['traces', traceId, 'logs'] as const,
  span: (traceId: string, spanId: string) => ['traces', traceId, 'spans', spanId] as const,
  breakers: (range: string) => ['breakers', range] as const,
  breakerTimelines: (range: string) => ['breakers', 'timelines', range] as const,
  logSearch: (filters: Record<string, unknown>, range: string) => ['logs', 'search', filters, range] as const,
  logTail: (filters: Record<string, unknown>) => ['logs', 'tail', filters] as const,
  logVolume: (filters: Record<string, unknown>, range: string) => ['logs', 'volume', filters, range] as const,
  serviceMap: (range: string) => ['serviceMap', range] as const,
  findings: (range: string) => ['findings', range] as const,
  annotations: (range: string) => ['annotations', range] as const,
  slos: () => ['slos'] as const,
  sloFile: () => ['slos', 'file'] as const,
  sloWebhooks: () => ['slos', 'webhooks'] as const,
  sloDetail: (id: string, range: string) => ['slos', id, range] as const,
};

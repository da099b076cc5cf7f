'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { LogRecord } from '@/lib/queries/logs';
import type { Span, Trace } from '@/lib/queries/traceSpans';
import type { TraceSummary } from '@/lib/queries/traces';
import { getJson } from '../data/fetchJson';
import { queryKeys } from '../data/queryKeys';
import type { TimeRangeState } from '../data/useTimeRange';
import { filterParams, type TraceFilters } from './traceFilters';

export function useTraceSearch(filters: TraceFilters, range: TimeRangeState) {
  const params = filterParams(filters);
  return useQuery({
    queryKey: queryKeys.traceSearch(params, range.key),
    queryFn: ({ signal }) => getJson<{ traces: TraceSummary[] }>('/api/traces', { ...params, ...range.resolve() }, signal),
    refetchInterval: range.refetchInterval,
    placeholderData: keepPreviousData,
  });
}

const tracePath = (traceId: string) => `/api/traces/${encodeURIComponent(traceId)}`;

/** A trace never changes once written (late spans aside), so it is fetched once. */
export function useTrace(traceId: string) {
  return useQuery({
    queryKey: queryKeys.trace(traceId),
    queryFn: ({ signal }) => getJson<Trace>(tracePath(traceId), {}, signal),
    staleTime: 60_000,
  });
}

/** One span in full (attributes, resource, events, links), fetched when it is opened in the waterfall. */
export function useSpan(traceId: string, spanId: string) {
  return useQuery({
    queryKey: queryKeys.span(traceId, spanId),
    queryFn: ({ signal }) => getJson<Span>(`${tracePath(traceId)}/spans/${encodeURIComponent(spanId)}`, {}, signal),
    staleTime: 60_000,
  });
}

export function useTraceLogs(traceId: string) {
  return useQuery({
    queryKey: queryKeys.traceLogs(traceId),
    queryFn: ({ signal }) => getJson<{ logs: LogRecord[] }>(`${tracePath(traceId)}/logs`, {}, signal),
    staleTime: 60_000,
  });
}

'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { LogRecord } from '@/lib/queries/logs';
import type { Span, Trace } from '@/lib/queries/traceSpans';
import type { TraceSummary } from '@/lib/queries/traces';
import { getJson } from '../data/fetchJson';
import { queryKeys } from '../data/queryKeys';
import { isNotFound, retryServerErrors } from '../data/retry';
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

// A trace opened from a log line a moment old may not be stored yet: its spans are exported when they
// end, after the lines written inside them, in batches of their own. Its 404 is asked again for ~20 s.
const ARRIVAL_TRIES = 10;
const ARRIVAL_RETRY_MS = 2_000;

/** A trace never changes once written (late spans aside), so it is fetched once it is there. */
export function useTrace(traceId: string) {
  return useQuery({
    queryKey: queryKeys.trace(traceId),
    queryFn: ({ signal }) => getJson<Trace>(tracePath(traceId), {}, signal),
    staleTime: 60_000,
    retry: (failures, error) => (isNotFound(error) ? failures < ARRIVAL_TRIES : retryServerErrors(failures, error)),
    retryDelay: ARRIVAL_RETRY_MS,
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

'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getJson } from '../data/fetchJson';
import { queryKeys } from '../data/queryKeys';
import { isNotFound, retryServerErrors } from '../data/retry';
import type { TimeRangeState } from '../data/useTimeRange';
import { filterParams, type TraceFilters } from './traceFilters';
import { traceExtent } from './waterfall/viewBounds';
import type { LogRecord, Span, Trace, TraceSummary } from '@/lib/contract/traces';

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

// Nor is a trace that ended moments ago complete: other services' batches and asynchronous consumers
// bring their spans and lines seconds later. It is read again until its last one is this old.
const SETTLED_AFTER_MS = 30_000;
const SETTLING_REFRESH_MS = 3_000;

/** Whether a trace that ended at `endMs` did so recently enough that more of its spans and log lines may arrive. */
export function isSettling(endMs: number): boolean {
  return Date.now() - endMs < SETTLED_AFTER_MS;
}

/** A trace, read until it is there and has settled; then it never changes, so it is not read again. */
export function useTrace(traceId: string) {
  return useQuery({
    queryKey: queryKeys.trace(traceId),
    queryFn: ({ signal }) => getJson<Trace>(tracePath(traceId), {}, signal),
    staleTime: 60_000,
    retry: (failures, error) => (isNotFound(error) ? failures < ARRIVAL_TRIES : retryServerErrors(failures, error)),
    retryDelay: ARRIVAL_RETRY_MS,
    refetchInterval: (query) => (isSettling(traceExtent(query.state.data?.spans ?? []).endMs) ? SETTLING_REFRESH_MS : false),
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

/** A trace's log lines, read again while the trace is settling. */
export function useTraceLogs(traceId: string, settling: boolean) {
  return useQuery({
    queryKey: queryKeys.traceLogs(traceId),
    queryFn: ({ signal }) => getJson<{ logs: LogRecord[] }>(`${tracePath(traceId)}/logs`, {}, signal),
    staleTime: 60_000,
    refetchInterval: settling ? SETTLING_REFRESH_MS : false,
  });
}

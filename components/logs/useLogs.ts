'use client';

import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { getJson } from '../data/fetchJson';
import { queryKeys } from '../data/queryKeys';
import type { TimeRangeState } from '../data/useTimeRange';
import { logFilterParams, type LogFilters } from './logFilters';
import type { LogPage, LogVolume } from '@/lib/contract/logs';

/** How often live tail asks for new lines. */
export const tailIntervalMs = 2_000;
const tailLines = 200;

/**
 * Matching lines newest first, a page per scroll. The range is resolved once per search, so later
 * pages continue the same window instead of sliding under the cursor.
 */
export function useLogSearch(filters: LogFilters, range: TimeRangeState, enabled: boolean) {
  const params = logFilterParams(filters);
  return useInfiniteQuery({
    queryKey: queryKeys.logSearch(params, range.key),
    queryFn: ({ pageParam, signal }) => getJson<LogPage>('/api/logs', { ...params, ...pageParam.range, cursor: pageParam.cursor }, signal),
    initialPageParam: { range: range.resolve(), cursor: undefined as string | undefined },
    getNextPageParam: (last, _pages, previous) => (last.nextCursor ? { range: previous.range, cursor: last.nextCursor } : undefined),
    enabled,
    placeholderData: keepPreviousData,
  });
}

/** Live tail: the newest lines of the range ending now, asked for again every couple of seconds. */
export function useLogTail(filters: LogFilters, range: TimeRangeState, enabled: boolean) {
  const params = logFilterParams(filters);
  return useQuery({
    queryKey: queryKeys.logTail(params),
    queryFn: ({ signal }) => getJson<LogPage>('/api/logs', { ...params, ...range.resolve(), limit: tailLines }, signal),
    refetchInterval: tailIntervalMs,
    enabled,
    placeholderData: keepPreviousData,
  });
}

export function useLogVolume(filters: LogFilters, range: TimeRangeState, live: boolean) {
  const params = logFilterParams(filters);
  return useQuery({
    queryKey: queryKeys.logVolume(params, range.key),
    queryFn: ({ signal }) => getJson<LogVolume>('/api/logs/volume', { ...params, ...range.resolve() }, signal),
    refetchInterval: live ? tailIntervalMs : range.refetchInterval,
    placeholderData: keepPreviousData,
  });
}

'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getJson } from '../data/fetchJson';
import { queryKeys } from '../data/queryKeys';
import type { TimeRangeState } from '../data/useTimeRange';
import type { BreakerTimeline, BreakerBoard } from '@/lib/contract/breakers';

export function useBreakerBoard(range: TimeRangeState) {
  return useQuery({
    queryKey: queryKeys.breakers(range.key),
    queryFn: ({ signal }) => getJson<BreakerBoard>('/api/breakers', range.resolve(), signal),
    refetchInterval: range.refetchInterval,
    placeholderData: keepPreviousData,
  });
}

export function useBreakerTimelines(range: TimeRangeState) {
  return useQuery({
    queryKey: queryKeys.breakerTimelines(range.key),
    queryFn: async ({ signal }) => {
      const resolved = range.resolve();
      const { timelines } = await getJson<{ timelines: BreakerTimeline[] }>('/api/breakers/timeline', resolved, signal);
      return { ...resolved, timelines };
    },
    refetchInterval: range.refetchInterval,
    placeholderData: keepPreviousData,
  });
}

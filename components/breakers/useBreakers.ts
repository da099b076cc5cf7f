'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { BreakerTimeline } from '@/lib/queries/breakerTimelines';
import type { BreakerBoard } from '@/lib/queries/breakers';
import { getJson } from '../data/fetchJson';
import { queryKeys } from '../data/queryKeys';
import type { TimeRangeState } from '../data/useTimeRange';

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

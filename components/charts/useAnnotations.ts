'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getJson } from '../data/fetchJson';
import { queryKeys } from '../data/queryKeys';
import type { TimeRangeState } from '../data/useTimeRange';
import type { Annotation, Annotations } from '@/lib/contract/annotations';

const none: Annotation[] = [];

/** The range's annotations (fault flags switched on and off), for the charts' markers; none while loading or failed. */
export function useAnnotations(range: TimeRangeState): Annotation[] {
  const query = useQuery({
    queryKey: queryKeys.annotations(range.key),
    queryFn: ({ signal }) => getJson<Annotations>('/api/annotations', range.resolve(), signal),
    refetchInterval: range.refetchInterval,
    placeholderData: keepPreviousData,
  });
  return query.data?.annotations ?? none;
}

'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getJson } from '../data/fetchJson';
import { queryKeys } from '../data/queryKeys';
import type { TimeRangeState } from '../data/useTimeRange';
import type { ServiceMap } from '@/lib/contract/serviceMap';

export function useServiceMap(range: TimeRangeState) {
  return useQuery({
    queryKey: queryKeys.serviceMap(range.key),
    queryFn: ({ signal }) => getJson<ServiceMap>('/api/service-map', range.resolve(), signal),
    refetchInterval: range.refetchInterval,
    placeholderData: keepPreviousData,
  });
}

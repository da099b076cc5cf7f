'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getJson } from '../data/fetchJson';
import { queryKeys } from '../data/queryKeys';
import type { TimeRangeState } from '../data/useTimeRange';
import type { ServiceSummary } from '@/lib/contract/services';

export function useServices(range: TimeRangeState) {
  return useQuery({
    queryKey: queryKeys.services(range.key),
    queryFn: ({ signal }) => getJson<{ services: ServiceSummary[] }>('/api/services', range.resolve(), signal),
    refetchInterval: range.refetchInterval,
    placeholderData: keepPreviousData,
  });
}

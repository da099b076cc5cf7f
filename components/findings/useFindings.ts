'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getJson } from '../data/fetchJson';
import { queryKeys } from '../data/queryKeys';
import type { TimeRangeState } from '../data/useTimeRange';
import type { Findings } from '@/lib/contract/findings';

export function useFindings(range: TimeRangeState) {
  return useQuery({
    queryKey: queryKeys.findings(range.key),
    queryFn: ({ signal }) => getJson<Findings>('/api/findings', range.resolve(), signal),
    refetchInterval: range.refetchInterval,
    placeholderData: keepPreviousData,
  });
}

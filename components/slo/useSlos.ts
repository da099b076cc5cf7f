'use client';

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SloDetail, SloFileText, SloList } from '@/lib/slo/sloReport';
import { getJson, putText } from '../data/fetchJson';
import { queryKeys } from '../data/queryKeys';
import type { TimeRangeState } from '../data/useTimeRange';

/** Alerts change at most once per evaluation; refreshing every 10 s shows a change promptly. */
const alertRefreshMs = 10_000;

export function useSlos() {
  return useQuery({
    queryKey: queryKeys.slos(),
    queryFn: ({ signal }) => getJson<SloList>('/api/slos', {}, signal),
    refetchInterval: alertRefreshMs,
    placeholderData: keepPreviousData,
  });
}

export function useSloDetail(id: string, range: TimeRangeState) {
  return useQuery({
    queryKey: queryKeys.sloDetail(id, range.key),
    queryFn: ({ signal }) => getJson<SloDetail>(`/api/slos/${encodeURIComponent(id)}`, range.resolve(), signal),
    refetchInterval: range.refetchInterval === false ? false : Math.min(range.refetchInterval, alertRefreshMs),
    placeholderData: keepPreviousData,
  });
}

export function useSloFile() {
  return useQuery({
    queryKey: queryKeys.sloFile(),
    queryFn: ({ signal }) => getJson<SloFileText>('/api/slos/file', {}, signal),
  });
}

/** Saves the file; the SLOs refresh once the evaluator has reloaded it. */
export function useSaveSloFile() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (text: string) => putText<SloFileText & { slos: number }>('/api/slos/file', text),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.slos() }),
  });
}

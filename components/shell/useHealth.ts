'use client';

import { useQuery } from '@tanstack/react-query';
import type { Health } from '@/lib/contract/health';
import { getJson } from '../data/fetchJson';
import { queryKeys } from '../data/queryKeys';

/** Polled, so a failing ingestion shows up (and clears) without a reload. */
export function useHealth() {
  return useQuery({
    queryKey: queryKeys.health(),
    queryFn: ({ signal }) => getJson<Health>('/api/health', {}, signal),
    refetchInterval: 15_000,
  });
}

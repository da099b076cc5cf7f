'use client';

import { useQuery } from '@tanstack/react-query';
import { getJson } from '../data/fetchJson';
import { queryKeys } from '../data/queryKeys';

export type Health = { ok: boolean; store: 'chdb' | 'http'; otlpPort: number };

export function useHealth() {
  return useQuery({
    queryKey: queryKeys.health(),
    queryFn: ({ signal }) => getJson<Health>('/api/health', {}, signal),
    staleTime: Infinity,
  });
}

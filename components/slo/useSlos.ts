'use client';

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SloEntry, Webhook, SloFileSaved, SloFileText, SloDetail, SloList } from '@/lib/contract/slo';
import { getJson, putText, sendJson } from '../data/fetchJson';
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

export function useWebhooks() {
  return useQuery({
    queryKey: queryKeys.sloWebhooks(),
    queryFn: ({ signal }) => getJson<{ webhooks: Webhook[] }>('/api/slos/webhooks', {}, signal),
  });
}

/** A change of the file; the SLOs refresh at once, as the saved definitions are in force when it answers. */
function useSloFileChange<Input>(save: (input: Input) => Promise<SloFileSaved>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: save, onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.slos() }) });
}

const sloPath = (id: string) => `/api/slos/${encodeURIComponent(id)}`;

/** Saves the whole file, refused (409) if it is no longer at `version`, the one the edit started from. */
export function useSaveSloFile() {
  return useSloFileChange(({ text, version }: { text: string; version: string }) =>
    putText<SloFileSaved>('/api/slos/file', text, { 'if-match': `"${version}"` }),
  );
}

/** Adds an SLO (`replacing` null) or replaces the SLO `replacing`. */
export function useSaveSlo() {
  return useSloFileChange(({ replacing, entry }: { replacing: string | null; entry: Partial<SloEntry> }) =>
    replacing === null ? sendJson<SloFileSaved>('POST', '/api/slos', entry) : sendJson<SloFileSaved>('PUT', sloPath(replacing), entry),
  );
}

export function useDeleteSlo() {
  return useSloFileChange((id: string) => sendJson<SloFileSaved>('DELETE', sloPath(id)));
}

export function useSaveWebhooks() {
  return useSloFileChange((webhooks: Webhook[]) => sendJson<SloFileSaved>('PUT', '/api/slos/webhooks', webhooks));
}

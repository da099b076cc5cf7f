'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getJson } from '../data/fetchJson';
import { queryKeys } from '../data/queryKeys';
import type { TimeRangeState } from '../data/useTimeRange';
import type { OperationSummary, ServiceDependencies, ServiceSeries } from '@/lib/contract/services';

const servicePath = (service: string, part: string) => `/api/services/${encodeURIComponent(service)}/${part}`;

export function useServiceSeries(service: string, range: TimeRangeState) {
  return useQuery({
    queryKey: queryKeys.serviceSeries(service, range.key),
    queryFn: ({ signal }) => getJson<ServiceSeries>(servicePath(service, 'series'), range.resolve(), signal),
    refetchInterval: range.refetchInterval,
    placeholderData: keepPreviousData,
  });
}

export function useOperations(service: string, range: TimeRangeState) {
  return useQuery({
    queryKey: queryKeys.operations(service, range.key),
    queryFn: ({ signal }) =>
      getJson<{ operations: OperationSummary[] }>(servicePath(service, 'operations'), range.resolve(), signal),
    enabled: service !== '',
    refetchInterval: range.refetchInterval,
    placeholderData: keepPreviousData,
  });
}

export function useDependencies(service: string, range: TimeRangeState) {
  return useQuery({
    queryKey: queryKeys.dependencies(service, range.key),
    queryFn: ({ signal }) => getJson<ServiceDependencies>(servicePath(service, 'dependencies'), range.resolve(), signal),
    refetchInterval: range.refetchInterval,
    placeholderData: keepPreviousData,
  });
}

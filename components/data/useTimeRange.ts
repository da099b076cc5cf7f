'use client';

import { useSearchParams } from 'next/navigation';
import { useMemo } from 'react';
import { parseRange, parseRefresh, rangeKey, refreshInterval, resolveRange, type RangePreset, type RefreshChoice } from './timeRange';

export type TimeRangeState = ReturnType<typeof useTimeRange>;

/** The page's time range and auto-refresh, read from the URL. */
export function useTimeRange(defaults: { range?: RangePreset; refresh?: RefreshChoice } = {}) {
  const search = useSearchParams().toString();
  const { range = '1h', refresh = '10s' } = defaults;
  return useMemo(() => {
    const params = new URLSearchParams(search);
    const spec = parseRange(params, range);
    const choice = parseRefresh(params, refresh);
    return {
      spec,
      key: rangeKey(spec),
      refresh: choice,
      refetchInterval: refreshInterval(choice, spec),
      /** The absolute range now; called by each fetch so relative ranges slide. */
      resolve: () => resolveRange(spec),
    };
  }, [search, range, refresh]);
}

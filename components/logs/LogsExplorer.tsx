'use client';

import { useSearchParams } from 'next/navigation';
import { useCallback } from 'react';
import { useTimeRange } from '../data/useTimeRange';
import { useUpdateUrlParams } from '../data/useUrlParams';
import { EmptyState, ErrorState, Loading } from '../shell/PageState';
import { TimeRangeBar } from '../shell/TimeRangeBar';
import { LogFiltersForm } from './LogFiltersForm';
import { LogList } from './LogList';
import { LogVolumeChart } from './LogVolumeChart';
import { logFilterChanges, readLogFilters } from './logFilters';
import { useLogSearch, useLogTail, useLogVolume } from './useLogs';
import './logs.css';

/** Search logs over a range with infinite scroll, or follow new lines in live tail (`?live=1`). */
export function LogsExplorer() {
  const params = useSearchParams();
  const filters = readLogFilters(params);
  const live = params.get('live') === '1';
  const range = useTimeRange({ range: '15m', refresh: 'off' });
  const search = useLogSearch(filters, range, !live);
  const tail = useLogTail(filters, range, live);
  const volume = useLogVolume(filters, range, live);
  const update = useUpdateUrlParams();
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = search;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const current = live ? tail : search;
  const lines = live ? (tail.data?.lines ?? []) : (search.data?.pages.flatMap((page) => page.lines) ?? []);

  return (
    <section>
      <header className="page-header">
        <h1>Logs</h1>
        <div className="range-bar">
          <label className="refresh">
            <input type="checkbox" checked={live} onChange={(e) => update({ live: e.target.checked ? '1' : null })} data-testid="live-tail" />
            Live tail
          </label>
          <TimeRangeBar range={range} isFetching={current.isFetching} />
        </div>
      </header>
      <LogFiltersForm key={params.toString()} initial={filters} range={range} onSearch={(next) => update(logFilterChanges(next))} />
      {volume.data && (
        <div className="panel">
          <h3>Log volume by severity</h3>
          <LogVolumeChart volume={volume.data} />
        </div>
      )}
      {current.isPending ? (
        <Loading what="logs" />
      ) : current.isError ? (
        <ErrorState error={current.error} />
      ) : lines.length === 0 ? (
        <EmptyState title="No log lines match these filters in this time range" />
      ) : (
        <LogList lines={lines} hasMore={!live && hasNextPage} loadingMore={isFetchingNextPage} onLoadMore={live ? undefined : loadMore} />
      )}
    </section>
  );
}

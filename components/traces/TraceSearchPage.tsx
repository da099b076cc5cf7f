'use client';

import { useRouter, useSearchParams } from 'next/navigation';
import { DurationScatter } from '../charts/DurationScatter';
import { useTimeRange } from '../data/useTimeRange';
import { useUpdateUrlParams } from '../data/useUrlParams';
import { EmptyState, ErrorState, Loading } from '../shell/PageState';
import { TimeRangeBar } from '../shell/TimeRangeBar';
import { TraceFiltersForm } from './TraceFiltersForm';
import { TraceTable } from './TraceTable';
import { filterChanges, readFilters } from './traceFilters';
import { useTraceSearch } from './useTraces';

export function TraceSearchPage() {
  const params = useSearchParams();
  const filters = readFilters(params);
  const range = useTimeRange({ refresh: 'off' });
  const search = useTraceSearch(filters, range);
  const update = useUpdateUrlParams();
  const router = useRouter();
  const open = (traceId: string) => router.push(`/traces/${traceId}`);

  return (
    <section>
      <header className="page-header">
        <h1>Traces</h1>
        <TimeRangeBar range={range} isFetching={search.isFetching} />
      </header>
      <TraceFiltersForm key={params.toString()} initial={filters} range={range} onSearch={(next) => update(filterChanges(next))} />
      {search.isPending ? (
        <Loading what="traces" />
      ) : search.isError ? (
        <ErrorState error={search.error} />
      ) : search.data.traces.length === 0 ? (
        <EmptyState title="No traces match these filters in this time range" />
      ) : (
        <>
          <div className="panel">
            <h3>Duration over time ({search.data.traces.length} traces, newest first)</h3>
            <DurationScatter
              points={search.data.traces.map((trace) => ({
                id: trace.traceId,
                time: trace.startMs,
                durationMs: trace.durationMs,
                error: trace.errorCount > 0,
              }))}
              onOpen={open}
            />
          </div>
          <TraceTable traces={search.data.traces} />
        </>
      )}
    </section>
  );
}

'use client';

import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
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
  // The last two ticked: ticking a third lets go of the oldest.
  const [picked, setPicked] = useState<string[]>([]);
  const pick = (traceId: string) =>
    setPicked((current) => (current.includes(traceId) ? current.filter((id) => id !== traceId) : [...current, traceId].slice(-2)));

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
          <div className="compare-bar">
            {picked.length === 2 ? (
              <Link href={`/traces/compare?a=${picked[0]}&b=${picked[1]}`} data-testid="compare-link">
                Compare the two ticked traces
              </Link>
            ) : (
              <span className="muted">Tick two traces to compare them ({picked.length} ticked).</span>
            )}
          </div>
          <TraceTable traces={search.data.traces} picked={picked} onPick={pick} />
        </>
      )}
    </section>
  );
}

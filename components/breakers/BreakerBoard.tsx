'use client';

import { useSearchParams } from 'next/navigation';
import { useUpdateUrlParams } from '../data/useUrlParams';
import { useTimeRange } from '../data/useTimeRange';
import { EmptyState, ErrorState, Loading } from '../shell/PageState';
import { findingsOnEdge } from '../findings/findingsFor';
import { useFindings } from '../findings/useFindings';
import { TimeRangeBar } from '../shell/TimeRangeBar';
import { useCarriedRange } from '../shell/useCarriedRange';
import { BreakerTile } from './BreakerTile';
import { useAnnotations } from '../charts/useAnnotations';
import { useBreakerBoard, useBreakerTimelines } from './useBreakers';
import type { BreakerSummary } from '@/lib/contract/breakers';

const sorts = {
  attention: { label: 'State, then errors, then volume', compare: () => 0 },
  name: { label: 'Name', compare: (a: BreakerSummary, b: BreakerSummary) => a.name.localeCompare(b.name) },
  volume: { label: 'Volume', compare: (a: BreakerSummary, b: BreakerSummary) => b.recent.calls - a.recent.calls },
  errors: { label: 'Failure rate', compare: (a: BreakerSummary, b: BreakerSummary) => b.recent.failureRate - a.recent.failureRate },
} as const;
type SortKey = keyof typeof sorts;

/** Every breaker as a tile, Hystrix-style, refreshed every 5 s by default. */
export function BreakerBoard() {
  const range = useTimeRange({ range: '15m', refresh: '5s' });
  const board = useBreakerBoard(range);
  const timelines = useBreakerTimelines(range);
  const annotations = useAnnotations(range);
  const findings = useFindings(range).data?.findings ?? [];
  const carried = useCarriedRange();
  const update = useUpdateUrlParams();
  const sortParam = useSearchParams().get('sort');
  const sort: SortKey = sortParam && sortParam in sorts ? (sortParam as SortKey) : 'attention';

  const timelineFor = (breaker: BreakerSummary) => {
    const data = timelines.data;
    const found = data?.timelines.find((t) => t.service === breaker.service && t.name === breaker.name);
    return data && found ? { segments: found.segments, from: data.from, to: data.to, annotations } : null;
  };

  return (
    <section>
      <header className="page-header">
        <h1>Circuit breakers</h1>
        <TimeRangeBar range={range} isFetching={board.isFetching} />
      </header>
      <div className="board-tools">
        <label>
          Sort by{' '}
          <select value={sort} onChange={(e) => update({ sort: e.target.value === 'attention' ? null : e.target.value })}>
            {Object.entries(sorts).map(([key, { label }]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <span className="legend">
          <span className="outcome-success">success</span> <span className="outcome-failure">failure</span>{' '}
          <span className="outcome-timeout">timeout</span> <span className="outcome-rejected">rejected</span>
        </span>
      </div>
      {board.isPending ? (
        <Loading what="circuit breakers" />
      ) : board.isError ? (
        <ErrorState error={board.error} />
      ) : board.data.breakers.length === 0 ? (
        <EmptyState title="No circuit breakers reported in this time range" />
      ) : (
        <div className="breaker-grid">
          {[...board.data.breakers].sort(sorts[sort].compare).map((breaker) => (
            <BreakerTile
              key={`${breaker.service}/${breaker.name}`}
              breaker={breaker}
              windowSeconds={board.data.windowSeconds}
              timeline={timelineFor(breaker)}
              now={board.dataUpdatedAt}
              carried={carried}
              findings={findingsOnEdge(findings, breaker.service, [breaker.peer])}
            />
          ))}
        </div>
      )}
    </section>
  );
}

'use client';

import { formatDateTime } from '../charts/format';
import { useTimeRange } from '../data/useTimeRange';
import { useFindings } from '../findings/useFindings';
import { EmptyState, ErrorState, Loading } from '../shell/PageState';
import { TimeRangeBar } from '../shell/TimeRangeBar';
import { useCarriedRange } from '../shell/useCarriedRange';
import { ServiceMapGraph } from './ServiceMapGraph';
import { useServiceMap } from './useServiceMap';
import './map.css';

export function ServiceMapPage() {
  const range = useTimeRange({ range: '15m' });
  const map = useServiceMap(range);
  const carried = useCarriedRange();
  const findings = useFindings(range).data?.findings ?? [];
  return (
    <section>
      <header className="page-header">
        <h1>Service map</h1>
        <TimeRangeBar range={range} isFetching={map.isFetching} />
      </header>
      {map.isPending ? (
        <Loading what="the service map" />
      ) : map.isError ? (
        <ErrorState error={map.error} />
      ) : map.data.nodes.length === 0 ? (
        <EmptyState title="No spans in this time range, so no services to map" />
      ) : (
        <>
          <p className="hint">
            Edges from {formatDateTime(map.data.from)} to {formatDateTime(map.data.to)} (at most the last hour of the range). Solid: calls;
            dashed: messages. Colour: error rate. Labels: calls per second, error rate, p95. Click a service for its page, an edge for its
            traces, a ⚠ badge for the findings on that edge.
          </p>
          <div className="panel map-panel">
            <ServiceMapGraph map={map.data} carried={carried} findings={findings} />
          </div>
        </>
      )}
    </section>
  );
}

'use client';

import Link from 'next/link';
import { useMemo, useState } from 'react';
import { formatDateTime, formatMs } from '../charts/format';
import { logsHref } from '../logs/logFilters';
import { TraceLogs } from '../logs/TraceLogs';
import { ErrorState, Loading } from '../shell/PageState';
import { TracesHeading } from './TracesHeading';
import { isSettling, useTrace, useTraceLogs } from './useTraces';
import { serviceColor } from './waterfall/serviceColor';
import { TraceViewer } from './waterfall/TraceViewer';
import { traceExtent } from './waterfall/viewBounds';

export function TraceView({ traceId }: { traceId: string }) {
  const trace = useTrace(traceId);
  const [selectedSpanId, setSelectedSpanId] = useState<string | null>(null);
  const spans = useMemo(() => trace.data?.spans ?? [], [trace.data]);
  const extent = useMemo(() => traceExtent(spans), [spans]);
  const logs = useTraceLogs(traceId, isSettling(extent.endMs));
  const services = useMemo(() => [...new Set(spans.map((span) => span.service))].sort(), [spans]);
  const errors = useMemo(() => spans.filter((span) => span.statusCode === 'Error').length, [spans]);

  if (trace.isPending) return <Loading what={trace.failureCount > 0 ? 'the trace: not stored yet, asking again (spans arrive a few seconds after their logs)' : 'the trace'} />;
  if (trace.isError) return <ErrorState error={trace.error} />;
  return (
    <section>
      <header className="page-header">
        <TracesHeading>
          <span className="mono">{traceId}</span>
        </TracesHeading>
        <Link href={`/traces/compare?a=${traceId}`}>Compare with another trace</Link>
      </header>
      <div className="trace-summary" data-testid="trace-summary">
        <span>{formatDateTime(extent.startMs)}</span>
        <span>duration {formatMs(extent.endMs - extent.startMs)}</span>
        <span data-testid="span-count">
          {spans.length} span{spans.length === 1 ? '' : 's'}
        </span>
        <span data-testid="service-count">
          {services.length} service{services.length === 1 ? '' : 's'}
        </span>
        {errors > 0 && (
          <span className="badge error">
            {errors} error{errors === 1 ? '' : 's'}
          </span>
        )}
        {trace.data.truncated && <span className="badge warn">truncated: the trace has more spans than the view loads</span>}
        <span>
          {services.map((service) => (
            <span key={service} className="chip" style={{ borderColor: serviceColor(service) }}>
              {service}
            </span>
          ))}
        </span>
      </div>
      <div className="trace-layout">
        <TraceViewer traceId={traceId} spans={spans} selectedSpanId={selectedSpanId} onSelect={setSelectedSpanId} />
        <aside className="panel logs-panel">
          <h3>
            Logs{logs.data ? ` (${logs.data.logs.length})` : ''}{' '}
            {/* The explorer's range brackets the trace as the trace's own log read does: a minute before, ten after. */}
            <Link href={logsHref({ traceId }, `from=${Math.floor(extent.startMs) - 60_000}&to=${Math.ceil(extent.endMs) + 600_000}`)} data-testid="trace-logs-explorer">
              in the logs explorer
            </Link>
          </h3>
          {logs.isPending ? (
            <Loading what="logs" />
          ) : logs.isError ? (
            <ErrorState error={logs.error} />
          ) : (
            <TraceLogs logs={logs.data.logs} traceStartMs={extent.startMs} selectedSpanId={selectedSpanId} onSelectSpan={setSelectedSpanId} />
          )}
        </aside>
      </div>
    </section>
  );
}

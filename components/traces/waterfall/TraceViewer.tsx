'use client';

import { useCallback, useEffect, useMemo, useState } from 'react';
import { criticalPath } from './criticalPath';
import { RejectedRow } from './RejectedRow';
import { resilienceOverlays, withRejectedRows } from './resilienceOverlays';
import { buildTree, collapsedBeyond, revealed, visibleRows } from './rows';
import { SpanDetail } from './SpanDetail';
import { SpanRow } from './SpanRow';
import { TimeAxis } from './TimeAxis';
import { barPosition, focus, fullView, pan, selectWindow, traceExtent, zoom, type ViewWindow } from './viewBounds';
import { VirtualList } from './VirtualList';
import type { WaterfallSpan } from '@/lib/contract/traces';

const rowHeight = 24;
/** Beyond this many spans the waterfall opens collapsed below the first levels, to stay readable. */
const openDepthForLargeTraces = 3;
const largeTrace = 2_000;

type Props = { traceId: string; spans: WaterfallSpan[]; selectedSpanId: string | null; onSelect(spanId: string): void };

/** The waterfall: layout and state (collapsed spans, zoom window, selection) over the pure parts. */
export function TraceViewer({ traceId, spans, selectedSpanId, onSelect }: Props) {
  const tree = useMemo(() => buildTree(spans), [spans]);
  const extent = useMemo(() => traceExtent(spans), [spans]);
  const critical = useMemo(() => criticalPath(tree), [tree]);
  const overlays = useMemo(() => resilienceOverlays(tree, spans), [tree, spans]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() =>
    spans.length > largeTrace ? collapsedBeyond(tree, openDepthForLargeTraces) : new Set(),
  );
  const [view, setView] = useState<ViewWindow>(fullView);
  // A span selected from elsewhere (a log line) may sit under a collapsed span: open the way to it.
  useEffect(() => {
    if (selectedSpanId) setCollapsed((current) => revealed(current, spans, selectedSpanId));
  }, [selectedSpanId, spans]);
  const rows = useMemo(() => visibleRows(tree, collapsed), [tree, collapsed]);
  const displayRows = useMemo(() => withRejectedRows(rows, overlays), [rows, overlays]);
  const selectedIndex = useMemo(
    () => displayRows.findIndex((display) => display.kind === 'span' && display.row.span.spanId === selectedSpanId),
    [displayRows, selectedSpanId],
  );
  const selected = useMemo(() => spans.find((span) => span.spanId === selectedSpanId) ?? null, [spans, selectedSpanId]);

  const toggle = useCallback((spanId: string) => {
    setCollapsed((current) => {
      const next = new Set(current);
      if (!next.delete(spanId)) next.add(spanId);
      return next;
    });
  }, []);

  return (
    <div className="trace-viewer">
      <div className="waterfall">
        <div className="waterfall-tools">
          <button type="button" onClick={() => setCollapsed(new Set())}>
            Expand all
          </button>
          <button type="button" onClick={() => setCollapsed(collapsedBeyond(tree, 1))}>
            Collapse all
          </button>
          <span className="legend">
            <span className="bar-sample critical" /> critical path <span className="error-mark">!</span> error <span className="bar-sample deadline-sample" /> timeout{' '}
            <span className="bar-sample backoff-sample" /> backoff <span className="bar-sample queue-sample" /> bulkhead queue
          </span>
          <span className="muted">
            {rows.length} of {spans.length} spans shown
          </span>
        </div>
        <TimeAxis
          extent={extent}
          view={view}
          onZoom={(factor) => setView((current) => zoom(current, factor))}
          onPan={(delta) => setView((current) => pan(current, delta))}
          onReset={() => setView(fullView)}
          onSelect={(from, to) => setView((current) => selectWindow(current, from, to))}
        />
        <VirtualList
          count={displayRows.length}
          rowHeight={rowHeight}
          scrollToIndex={selectedIndex}
          renderRow={(index) => {
            const display = displayRows[index];
            if (!display) return null;
            if (display.kind === 'rejected') return <RejectedRow row={display} extent={extent} view={view} onSelect={onSelect} />;
            const { row } = display;
            return (
              <SpanRow
                row={row}
                position={barPosition(row.span, extent, view)}
                extent={extent}
                view={view}
                guard={overlays.guards.get(row.span.spanId)}
                attempt={overlays.attempts.get(row.span.spanId)}
                selected={row.span.spanId === selectedSpanId}
                critical={critical.has(row.span.spanId)}
                onToggle={toggle}
                onSelect={onSelect}
              />
            );
          }}
        />
      </div>
      {selected && <SpanDetail traceId={traceId} span={selected} traceStartMs={extent.startMs} onFocus={() => setView(focus(selected, extent))} />}
    </div>
  );
}

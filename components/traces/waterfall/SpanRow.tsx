'use client';

import { memo } from 'react';
import { formatMs } from '../../charts/format';
import { GuardMarks } from './ResilienceMarks';
import type { AttemptMark, GuardOverlay } from './resilienceOverlays';
import type { WaterfallRow } from './rows';
import { serviceColor } from './serviceColor';
import { SpanBar } from './SpanBar';
import type { BarPosition, Extent, ViewWindow } from './viewBounds';
import type { WaterfallSpan } from '@/lib/contract/traces';

type Props = {
  row: WaterfallRow<WaterfallSpan>;
  position: BarPosition | null;
  extent: Extent;
  view: ViewWindow;
  guard: GuardOverlay | undefined;
  attempt: AttemptMark | undefined;
  selected: boolean;
  critical: boolean;
  onToggle(spanId: string): void;
  onSelect(spanId: string): void;
};

const indentPx = 14;

/** The name cell (indent, collapse toggle, service, operation) and the bar cell of one span. */
export const SpanRow = memo(function SpanRow({ row, position, extent, view, guard, attempt, selected, critical, onToggle, onSelect }: Props) {
  const { span } = row;
  const error = span.statusCode === 'Error';
  const color = serviceColor(span.service);
  return (
    <div
      className={`span-row${selected ? ' selected' : ''}${error ? ' has-error' : ''}`}
      onClick={() => onSelect(span.spanId)}
      data-testid="span-row"
      data-service={span.service}
      data-critical={critical || undefined}
      data-guarded={guard ? true : undefined}
    >
      <div className="name-cell" style={{ paddingLeft: row.depth * indentPx }} title={`${span.service}: ${span.name}${guard?.timeoutMs != null ? ` (timeout ${formatMs(guard.timeoutMs)} per attempt)` : ''}`}>
        {row.childCount > 0 ? (
          <button
            type="button"
            className="toggle"
            aria-label={row.collapsed ? `Expand ${span.name}` : `Collapse ${span.name}`}
            aria-expanded={!row.collapsed}
            onClick={(event) => {
              event.stopPropagation();
              onToggle(span.spanId);
            }}
          >
            {row.collapsed ? '▸' : '▾'}
          </button>
        ) : (
          <span className="toggle-space" />
        )}
        {attempt && (
          <span className={`attempt-mark${attempt.timedOut ? ' timed-out' : ''}`} data-testid="attempt-mark" title={attempt.timedOut ? 'ran into its timeout' : undefined}>
            attempt {attempt.attempt}/{attempt.of}
          </span>
        )}
        <span className="service-dot" style={{ background: color }} />
        <span className="service-name">{span.service}</span>
        <span className="span-name">{span.name}</span>
        {error && (
          <span className="error-mark" aria-label="error">
            !
          </span>
        )}
        {guard?.fallback && (
          <span className="badge fallback" data-testid="fallback-badge">
            fallback
          </span>
        )}
        {row.collapsed && <span className="muted"> (+{row.childCount})</span>}
      </div>
      <SpanBar position={position} color={color} durationMs={span.durationMs} error={error} critical={critical}>
        {guard && <GuardMarks guard={guard} extent={extent} view={view} />}
      </SpanBar>
    </div>
  );
});

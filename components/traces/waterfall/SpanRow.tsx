'use client';

import { memo } from 'react';
import type { WaterfallRow } from './rows';
import { serviceColor } from './serviceColor';
import { SpanBar } from './SpanBar';
import type { BarPosition } from './viewBounds';
import type { SpanOutline } from '@/lib/contract/traces';

type Props = {
  row: WaterfallRow<SpanOutline>;
  position: BarPosition | null;
  selected: boolean;
  critical: boolean;
  onToggle(spanId: string): void;
  onSelect(spanId: string): void;
};

const indentPx = 14;

/** The name cell (indent, collapse toggle, service, operation) and the bar cell of one span. */
export const SpanRow = memo(function SpanRow({ row, position, selected, critical, onToggle, onSelect }: Props) {
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
    >
      <div className="name-cell" style={{ paddingLeft: row.depth * indentPx }} title={`${span.service}: ${span.name}`}>
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
        <span className="service-dot" style={{ background: color }} />
        <span className="service-name">{span.service}</span>
        <span className="span-name">{span.name}</span>
        {error && (
          <span className="error-mark" aria-label="error">
            !
          </span>
        )}
        {row.collapsed && <span className="muted"> (+{row.childCount})</span>}
      </div>
      <SpanBar position={position} color={color} durationMs={span.durationMs} error={error} critical={critical} />
    </div>
  );
});

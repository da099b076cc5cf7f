'use client';

import type { DisplayRow } from './resilienceOverlays';
import { barPosition, type Extent, type ViewWindow } from './viewBounds';

const indentPx = 14;

type Props = { row: Extract<DisplayRow, { kind: 'rejected' }>; extent: Extent; view: ViewWindow; onSelect(spanId: string): void };

/** The attempt an open breaker refused: it made no span, so the waterfall gives it a row of its own. */
export function RejectedRow({ row, extent, view, onSelect }: Props) {
  const position = barPosition({ startMs: row.atMs, durationMs: 0 }, extent, view);
  return (
    <div className="span-row rejected-row" data-testid="rejected-row" onClick={() => onSelect(row.guardSpanId)}>
      <div className="name-cell" style={{ paddingLeft: row.depth * indentPx }}>
        <span className="toggle-space" />
        <span className="attempt-mark">
          attempt {row.attempt}/{row.of}
        </span>
        <span className="rejected-label">rejected by {row.breaker}</span>
      </div>
      <div className="bar-cell">{position && <div className="rejection-mark" style={{ left: `${position.left * 100}%` }} title="refused by the open breaker" />}</div>
    </div>
  );
}

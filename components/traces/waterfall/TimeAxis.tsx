'use client';

import { formatMs } from '../../charts/format';
import { ticks, type Extent, type ViewWindow } from './viewBounds';

type Props = { extent: Extent; view: ViewWindow; onZoom(factor: number): void; onPan(delta: number): void; onReset(): void };

export function TimeAxis({ extent, view, onZoom, onPan, onReset }: Props) {
  const zoomed = view.start > 0 || view.end < 1;
  return (
    <div className="time-axis">
      <div className="name-cell axis-controls">
        <button type="button" onClick={() => onZoom(0.5)} aria-label="Zoom in">
          +
        </button>
        <button type="button" onClick={() => onZoom(2)} aria-label="Zoom out" disabled={!zoomed}>
          −
        </button>
        <button type="button" onClick={() => onPan(-0.5)} aria-label="Earlier" disabled={view.start <= 0}>
          ◂
        </button>
        <button type="button" onClick={() => onPan(0.5)} aria-label="Later" disabled={view.end >= 1}>
          ▸
        </button>
        <button type="button" onClick={onReset} disabled={!zoomed}>
          Whole trace
        </button>
      </div>
      <div className="bar-cell ticks">
        {ticks(extent, view).map((tick) => (
          <span key={tick.offsetMs} className="tick" style={{ left: `${tick.position * 100}%` }}>
            {formatMs(tick.offsetMs)}
          </span>
        ))}
      </div>
    </div>
  );
}

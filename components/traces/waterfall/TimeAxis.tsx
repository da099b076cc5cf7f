'use client';

import { useRef, useState, type PointerEvent } from 'react';
import { formatMs } from '../../charts/format';
import { ticks, type Extent, type ViewWindow } from './viewBounds';

type Props = {
  extent: Extent;
  view: ViewWindow;
  onZoom(factor: number): void;
  onPan(delta: number): void;
  onReset(): void;
  /** A drag across the ticks, as viewport fractions. */
  onSelect(from: number, to: number): void;
};

/** Zoom controls and the time ticks; dragging across the ticks zooms to the dragged stretch. */
export function TimeAxis({ extent, view, onZoom, onPan, onReset, onSelect }: Props) {
  const zoomed = view.start > 0 || view.end < 1;
  const area = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const fraction = (event: PointerEvent) => {
    const box = area.current?.getBoundingClientRect();
    return box && box.width > 0 ? Math.min(1, Math.max(0, (event.clientX - box.left) / box.width)) : 0;
  };

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
      <div
        ref={area}
        className="bar-cell ticks"
        title="Drag to zoom"
        onPointerDown={(event) => {
          event.currentTarget.setPointerCapture(event.pointerId);
          const at = fraction(event);
          setDrag({ from: at, to: at });
        }}
        onPointerMove={(event) => drag && setDrag({ ...drag, to: fraction(event) })}
        onPointerUp={() => {
          if (drag) onSelect(drag.from, drag.to);
          setDrag(null);
        }}
      >
        {ticks(extent, view).map((tick) => (
          <span key={tick.offsetMs} className="tick" style={{ left: `${tick.position * 100}%` }}>
            {formatMs(tick.offsetMs)}
          </span>
        ))}
        {drag && (
          <span
            className="drag-selection"
            style={{ left: `${Math.min(drag.from, drag.to) * 100}%`, width: `${Math.abs(drag.to - drag.from) * 100}%` }}
          />
        )}
      </div>
    </div>
  );
}

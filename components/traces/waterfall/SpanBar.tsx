'use client';

import type { ReactNode } from 'react';
import type { BarPosition } from './viewBounds';
import { formatMs } from '../../charts/format';

type Props = { position: BarPosition | null; color: string; durationMs: number; error: boolean; critical: boolean; children?: ReactNode };

/** One span's bar on the time axis; critical-path spans get a solid spine, errors a red edge; `children` are drawn over it. */
export function SpanBar({ position, color, durationMs, error, critical, children }: Props) {
  if (!position) return <div className="bar-cell">{children}</div>;
  const label = formatMs(durationMs);
  const labelInside = position.left > 0.8;
  return (
    <div className="bar-cell">
      <div
        className={`bar${critical ? ' critical' : ''}${error ? ' error' : ''}`}
        style={{ left: `${position.left * 100}%`, width: `max(2px, ${position.width * 100}%)`, background: color }}
      />
      <span
        className="bar-label"
        style={labelInside ? { right: `${(1 - position.left) * 100 + 0.5}%` } : { left: `${(position.left + position.width) * 100 + 0.5}%` }}
      >
        {label}
      </span>
      {children}
    </div>
  );
}

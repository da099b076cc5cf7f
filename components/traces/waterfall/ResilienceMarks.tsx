'use client';

import { formatMs } from '../../charts/format';
import type { GuardOverlay, Interval } from './resilienceOverlays';
import { barPosition, type Extent, type ViewWindow } from './viewBounds';

type Geometry = { extent: Extent; view: ViewWindow };

const placed = ({ startMs, endMs }: Interval, { extent, view }: Geometry) => barPosition({ startMs, durationMs: endMs - startMs }, extent, view);

function Shade({ interval, className, title, geometry }: { interval: Interval; className: string; title: string; geometry: Geometry }) {
  const position = placed(interval, geometry);
  if (!position) return null;
  return <div className={className} title={title} style={{ left: `${position.left * 100}%`, width: `max(2px, ${position.width * 100}%)` }} />;
}

/** Drawn over a guarded call's bar: the bulkhead queue wait, the backoff gaps and each attempt's deadline. */
export function GuardMarks({ guard, ...geometry }: { guard: GuardOverlay } & Geometry) {
  return (
    <>
      {guard.queueWait && (
        <Shade
          interval={guard.queueWait}
          className="queue-wait"
          title={`queued in the bulkhead for ${formatMs(guard.queueWait.endMs - guard.queueWait.startMs)}`}
          geometry={geometry}
        />
      )}
      {guard.backoffGaps.map((gap) => (
        <Shade key={gap.startMs} interval={gap} className="backoff-gap" title={`backoff ${formatMs(gap.endMs - gap.startMs)}`} geometry={geometry} />
      ))}
      {guard.deadlinesMs.map((deadlineMs, i) => {
        const position = placed({ startMs: deadlineMs, endMs: deadlineMs }, geometry);
        if (!position || position.clippedEnd) return null;
        return (
          <div
            key={deadlineMs}
            className="deadline"
            data-testid="deadline-marker"
            title={`attempt ${i + 1} times out here (${formatMs(guard.timeoutMs ?? 0)} timeout)`}
            style={{ left: `${position.left * 100}%` }}
          />
        );
      })}
    </>
  );
}

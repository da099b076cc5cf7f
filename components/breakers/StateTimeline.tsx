'use client';

import { formatClock, formatSpan } from '../charts/format';
import { stateColor, stateWord } from './breakerStyle';
import type { Annotation } from '@/lib/contract/annotations';
import type { StateSegment } from '@/lib/contract/breakers';

/** The breaker's state over the range as coloured stretches: when it opened, and for how long; annotations as ticks. */
export function StateTimeline({ segments, from, to, annotations }: { segments: StateSegment[]; from: number; to: number; annotations: Annotation[] }) {
  const total = to - from;
  return (
    <div className="state-timeline" data-testid="state-timeline" aria-label="State over the time range">
      {segments.map((segment) => {
        const start = Math.max(segment.startMs, from);
        const end = Math.min(segment.endMs, to);
        if (end <= start) return null;
        return (
          <span
            key={segment.startMs}
            className="segment"
            data-state={segment.state}
            style={{ left: `${((start - from) / total) * 100}%`, width: `${((end - start) / total) * 100}%`, background: stateColor[segment.state] }}
            title={`${stateWord[segment.state]} from ${formatClock(start)} for ${formatSpan(end - start)}`}
          />
        );
      })}
      {annotations
        .filter((annotation) => annotation.timeMs >= from && annotation.timeMs < to)
        .map((annotation) => (
          <span
            key={`${annotation.timeMs}-${annotation.text}`}
            className="annotation-marker"
            style={{ left: `${((annotation.timeMs - from) / total) * 100}%` }}
            title={`${annotation.text} at ${formatClock(annotation.timeMs)}`}
          />
        ))}
    </div>
  );
}

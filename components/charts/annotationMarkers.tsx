import { ReferenceLine } from 'recharts';
import type { Annotation } from '@/lib/contract/annotations';

export type Marker = { x: number; text: string };

/**
 * The annotations as markers on a chart whose points are buckets starting at `times` (ascending): each
 * marker sits on the bucket its annotation fell in, and annotations of one bucket share a marker.
 */
export function markersOn(times: readonly number[], annotations: readonly Annotation[]): Marker[] {
  const markers = new Map<number, string[]>();
  for (const annotation of annotations) {
    const x = times.findLast((time) => time <= annotation.timeMs);
    if (x === undefined) continue;
    markers.set(x, [...(markers.get(x) ?? []), annotation.text]);
  }
  return [...markers].map(([x, texts]) => ({ x, text: texts.join(' · ') }));
}

/** Recharts reference lines for `markersOn`'s markers; called as a function so they stay the chart's direct children. */
export function annotationLines(times: readonly number[], annotations: readonly Annotation[]) {
  return markersOn(times, annotations).map((marker) => (
    <ReferenceLine
      key={`annotation-${marker.x}`}
      x={marker.x}
      className="annotation-marker"
      stroke="#c084fc"
      strokeDasharray="2 3"
      label={{ value: marker.text, position: 'insideTopRight', fill: '#c084fc', fontSize: 11 }}
    />
  ));
}

import { describe, expect, it } from 'vitest';
import { markersOn } from './annotationMarkers';

const annotation = (timeMs: number, text: string) => ({ timeMs, service: 'inventory', text });

describe('markersOn', () => {
  const buckets = [1_000, 2_000, 3_000];

  it('puts each annotation on the bucket it fell in, and joins those of one bucket', () => {
    expect(markersOn(buckets, [annotation(1_000, 'a on'), annotation(2_500, 'b on'), annotation(2_999, 'c off'), annotation(9_000, 'a off')])).toEqual([
      { x: 1_000, text: 'a on' },
      { x: 2_000, text: 'b on · c off' },
      { x: 3_000, text: 'a off' },
    ]);
  });

  it('leaves out an annotation before the first bucket', () => {
    expect(markersOn(buckets, [annotation(999, 'early')])).toEqual([]);
    expect(markersOn([], [annotation(1_000, 'a on')])).toEqual([]);
  });
});

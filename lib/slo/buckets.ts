import { durationBoundariesMs } from '@/lib/contract/slo';

/** The highest bucket index whose spans are all at most `thresholdMs` long. */
export function lastGoodBucket(thresholdMs: number): number {
  const index = durationBoundariesMs.indexOf(thresholdMs as (typeof durationBoundariesMs)[number]);
  if (index < 0) throw new Error(`${thresholdMs} ms is not a duration bucket boundary`);
  return index;
}

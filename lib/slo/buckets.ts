/**
 * The duration buckets of `faultline_slo_minutes`, in milliseconds: a latency SLO counts a request as
 * good when it took at most its threshold, which must be one of these boundaries (the view keeps
 * counts per bucket, not durations). Must match the list in `ddl/faultline_slo_minutes_mv.sql`.
 */
export const durationBoundariesMs = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000] as const;

/** The highest bucket index whose spans are all at most `thresholdMs` long. */
export function lastGoodBucket(thresholdMs: number): number {
  const index = durationBoundariesMs.indexOf(thresholdMs as (typeof durationBoundariesMs)[number]);
  if (index < 0) throw new Error(`${thresholdMs} ms is not a duration bucket boundary`);
  return index;
}

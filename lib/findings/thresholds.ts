/**
 * When each finding fires: the one place its thresholds live (documented in docs/api.md, "Findings").
 * Each is a ratio or a count over the asked time range.
 */
export const findingThresholds = {
  /** Attempts per logical call, multiplied along a path, from which retries amplify the load. */
  retryAmplification: 3,
  /** …while the last callee on the path fails at least this share of its calls. */
  retryStormErrorRate: 0.2,
  /** Breaker openings in the range that make it flapping. */
  breakerOpens: 5,
  /** Share of a call's time spent waiting in the bulkhead queue. */
  bulkheadQueueShare: 0.3,
  /** Calls a pattern needs before it is judged: a few slow calls are not a finding. */
  minCalls: 20,
} as const;

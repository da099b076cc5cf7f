/** The breakers board's answers (`/api/breakers`, `/api/breakers/timelines`). */
export type BreakerState = 'closed' | 'half-open' | 'open' | 'unknown';

export type StateSegment = { state: BreakerState; startMs: number; endMs: number };

export type Transition = { timeMs: number; from: BreakerState; to: BreakerState };

export type OutcomeCounts = { success: number; failure: number; timeout: number; rejected: number };

export type CallStats = OutcomeCounts & { calls: number; callsPerSecond: number; failureRate: number };

export type SparkPoint = { time: number; calls: number; failures: number; rejected: number };

/** What the breaker is configured to do, from its guarded-call spans; null when they don't say. */
export type BreakerSettings = { failureThreshold: number | null; halfOpenAfterMs: number | null };

export type BreakerSummary = {
  service: string;
  name: string;
  peer: string;
  state: BreakerState;
  lastReportMs: number;
  lastTransition: Transition | null;
  /** Over the last `windowSeconds` of the range: what the breaker sees now. */
  recent: CallStats;
  /** Over the whole range. */
  total: CallStats;
  sparkline: SparkPoint[];
  configured: BreakerSettings;
};

export type BreakerBoard = { windowSeconds: number; stepSeconds: number; breakers: BreakerSummary[] };

export type BreakerTimeline = { service: string; name: string; segments: StateSegment[]; transitions: Transition[] };

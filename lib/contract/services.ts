/** The services views' answers (`/api/services`, `/api/services/{service}/…`). */
export type Percentiles = { p50Ms: number | null; p95Ms: number | null; p99Ms: number | null };

export type ServiceSummary = Percentiles & {
  service: string;
  requests: number;
  errors: number;
  /** Entry spans per second over the range. */
  requestRate: number;
  /** errors / requests, 0..1; 0 when there were no requests. */
  errorRate: number;
  /** All spans of the service, entry or not. */
  spans: number;
};

export type ServicePoint = Percentiles & { time: number; requests: number; errors: number };

export type ServiceSeries = { stepSeconds: number; points: ServicePoint[] };

/** An operation and a span kind it was recorded with. */
export type OperationKind = { operation: string; kind: string };

export type OperationSummary = Percentiles & {
  operation: string;
  kind: string;
  calls: number;
  errors: number;
  callRate: number;
  errorRate: number;
};

export type Dependency = { service: string; calls: number; errors: number; errorRate: number; external: boolean };

/** `from`/`to`: the part of the asked range the edges were read from (see `maxDependencyRangeMs`). */
export type ServiceDependencies = { upstream: Dependency[]; downstream: Dependency[]; from: number; to: number };

/** The findings' answer (`/api/findings`): resilience misconfigurations detected from traces. */
export const findingKinds = [
  'timeout_inversion',
  'retry_amplification',
  'unguarded_dependency',
  'breaker_flapping',
  'bulkhead_saturation',
  'retry_not_idempotent',
] as const;
export type FindingKind = (typeof findingKinds)[number];

export const findingSeverities = ['critical', 'warning', 'info'] as const;
export type FindingSeverity = (typeof findingSeverities)[number];

export type Finding = {
  kind: FindingKind;
  severity: FindingSeverity;
  /** The service whose configuration is at fault (the caller on an edge). */
  service: string;
  /** The dependency on the edge, or '' when the finding is about the service alone. */
  peerService: string;
  operation: string;
  /** One sentence a person understands. */
  explanation: string;
  observed: Record<string, number>;
  configured: Record<string, number>;
  /** Up to 5 traces that show it. */
  evidenceTraceIds: string[];
};

export type Findings = { findings: Finding[] };

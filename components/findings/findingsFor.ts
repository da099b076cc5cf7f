/** Which findings belong to a place on another view (an edge, a breaker, a service), and how a badge sums them up. */
import { findingSeverities, type Finding, type FindingSeverity } from '@/lib/contract/findings';

export const kindTitles: Record<Finding['kind'], string> = {
  timeout_inversion: 'Timeout inversion',
  retry_amplification: 'Retry amplification',
  unguarded_dependency: 'Unguarded dependency',
  breaker_flapping: 'Flapping breaker',
  bulkhead_saturation: 'Saturated bulkhead',
  retry_not_idempotent: 'Retried, not idempotent',
};

/**
 * The findings on the edge from `service` to a dependency, which a map edge names as its target
 * service or its peer attribute (the same callee seen from either side).
 */
export function findingsOnEdge(findings: readonly Finding[], service: string, dependencies: readonly string[]): Finding[] {
  return findings.filter((finding) => finding.service === service && finding.peerService !== '' && dependencies.includes(finding.peerService));
}

/** The findings a service is part of, as the caller at fault or as the dependency. */
export function findingsOfService(findings: readonly Finding[], service: string): Finding[] {
  return findings.filter((finding) => finding.service === service || finding.peerService === service);
}

export type FindingsSummary = { count: number; severity: FindingSeverity; text: string };

/** The worst severity, the count, and the kinds in words; null when there is nothing to show. */
export function summarizeFindings(findings: readonly Finding[]): FindingsSummary | null {
  if (findings.length === 0) return null;
  const severity = findingSeverities.find((candidate) => findings.some((finding) => finding.severity === candidate)) as FindingSeverity;
  const kinds = [...new Set(findings.map((finding) => kindTitles[finding.kind].toLowerCase()))];
  return { count: findings.length, severity, text: `${findings.length} finding${findings.length === 1 ? '' : 's'}: ${kinds.join(', ')}` };
}

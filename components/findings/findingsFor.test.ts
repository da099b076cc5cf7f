import { describe, expect, it } from 'vitest';
import { findingsOfService, findingsOnEdge, summarizeFindings } from './findingsFor';
import type { Finding } from '@/lib/contract/findings';

const finding = (kind: Finding['kind'], severity: Finding['severity'], service: string, peerService: string): Finding => ({
  kind,
  severity,
  service,
  peerService,
  operation: '',
  explanation: '',
  observed: {},
  configured: {},
  evidenceTraceIds: [],
});

const findings = [
  finding('timeout_inversion', 'critical', 'gateway', 'order'),
  finding('retry_amplification', 'warning', 'order', 'inventory'),
  finding('unguarded_dependency', 'info', 'payment', 'payment-provider'),
  finding('breaker_flapping', 'warning', 'order', ''),
];

describe('findingsOnEdge', () => {
  it('takes the findings of the caller towards the edge’s target or peer, never a service-wide one', () => {
    expect(findingsOnEdge(findings, 'order', ['inventory']).map((f) => f.kind)).toEqual(['retry_amplification']);
    expect(findingsOnEdge(findings, 'payment', ['api.payments.example', 'payment-provider']).map((f) => f.kind)).toEqual(['unguarded_dependency']);
    expect(findingsOnEdge(findings, 'order', ['gateway'])).toEqual([]);
  });
});

describe('findingsOfService', () => {
  it('takes the findings where the service is the caller or the dependency', () => {
    expect(findingsOfService(findings, 'order').map((f) => f.kind)).toEqual(['timeout_inversion', 'retry_amplification', 'breaker_flapping']);
  });
});

describe('summarizeFindings', () => {
  it('gives the worst severity, the count and each kind once', () => {
    expect(summarizeFindings([findings[1]!, findings[0]!, finding('retry_amplification', 'info', 'x', 'y')])).toEqual({
      count: 3,
      severity: 'critical',
      text: '3 findings: retry amplification, timeout inversion',
    });
    expect(summarizeFindings([findings[2]!])).toEqual({ count: 1, severity: 'info', text: '1 finding: unguarded dependency' });
  });

  it('is null for no findings', () => {
    expect(summarizeFindings([])).toBeNull();
  });
});

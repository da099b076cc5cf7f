import { describe, expect, it } from 'vitest';
import { flappingBreakers, judgedCallees, nonIdempotentRetries, retryAmplifications, saturatedBulkheads, timeoutInversions, unguardedDependencies } from './detectors';
import { configuredEdgeKey, type GuardedEdge, type SlowAnswers } from './spanRows';
import { findingThresholds } from './thresholds';

const edge = (overrides: Partial<GuardedEdge>): GuardedEdge => ({
  service: 'gateway',
  peer: 'order',
  operation: 'order place',
  calls: 100,
  errors: 0,
  attempts: 100,
  attemptsPerCall: 1,
  maxAttempts: 1,
  timeoutMs: 1000,
  configuredAttempts: 1,
  nonIdempotentRetries: 0,
  bulkheadLimit: 0,
  bulkheadRejections: 0,
  queueWaitShare: 0,
  ...overrides,
});
/** The callee's answers to `edge` over its timeout (longest first), cut at `cutAtMs` (0: not cut). */
const slow = (over: number[], cutAtMs = 0, on: GuardedEdge = edge({})): SlowAnswers[] => [
  { callee: on.peer, byEdge: new Map([[configuredEdgeKey(on), { durationsMs: over, traceIds: ['a'] }]]), cutAtMs },
];
/** `count` answers over a 100 ms timeout: 2000, 1999, … ms. */
const longest = (count: number) => Array.from({ length: count }, (_, i) => 2000 - i);

describe('timeout_inversion', () => {
  const judged = edge({ timeoutMs: 100, attempts: 100 });

  it('fires when more than 5% of the answers to the edge outlast its timeout, with the p95 at its nearest rank', () => {
    expect(timeoutInversions([judged], slow(longest(6), 0, judged))).toMatchObject([
      {
        kind: 'timeout_inversion',
        severity: 'warning',
        service: 'gateway',
        peerService: 'order',
        observed: { calleeP95Ms: 1995, slowShare: 0.06, attempts: 100 },
        configured: { timeoutMs: 100 },
        evidence: { kind: 'traces', traceIds: ['a'] },
      },
    ]);
    expect(timeoutInversions([judged], slow(longest(6), 0, judged))[0]?.observed).not.toHaveProperty('calleeP50Ms');
  });

  it('does not fire at exactly 5% (the p95 is then within the timeout), or on too few calls', () => {
    expect(timeoutInversions([judged], slow(longest(5), 0, judged))).toEqual([]);
    const few = edge({ timeoutMs: 100, calls: findingThresholds.minCalls - 1, attempts: findingThresholds.minCalls - 1 });
    expect(timeoutInversions([few], slow(longest(findingThresholds.minCalls - 1), 0, few))).toEqual([]);
  });

  it('is critical when more than half the answers outlast the timeout, with their p50', () => {
    expect(timeoutInversions([judged], slow(longest(50), 0, judged))[0]?.severity).toBe('warning');
    expect(timeoutInversions([judged], slow(longest(51), 0, judged))).toMatchObject([{ severity: 'critical', observed: { calleeP50Ms: 1950, calleeP95Ms: 1995 } }]);
  });

  it('counts on the answers kept when the slow ones were cut, as far as they reach', () => {
    // Cut above the timeout: the kept answers still hold the edge's longest, so enough of them decide.
    expect(timeoutInversions([judged], slow(longest(6), 1990, judged))).toMatchObject([{ observed: { calleeP95Ms: 1995, attempts: 100 } }]);
    expect(timeoutInversions([judged], slow(longest(6), 1990, judged))[0]?.observed).not.toHaveProperty('slowShare');
    expect(timeoutInversions([judged], slow(longest(6), 1990, judged))[0]?.explanation).toContain('at least 6%');
    // Too few kept to decide: no finding.
    expect(timeoutInversions([judged], slow(longest(3), 1990, judged))).toEqual([]);
    // Cut at or below the timeout: every answer over it was kept.
    expect(timeoutInversions([judged], slow(longest(6), 100, judged))).toMatchObject([{ observed: { slowShare: 0.06 } }]);
  });

  it('asks for the answers of each judged callee, with the shortest timeout its callers give it and those callers', () => {
    const edges = [
      edge({ timeoutMs: 1000 }),
      edge({ service: 'cart', timeoutMs: 400 }),
      edge({ service: 'search', timeoutMs: 100, calls: findingThresholds.minCalls - 1 }),
      edge({ peer: 'inventory', timeoutMs: 0 }),
    ];
    expect(judgedCallees(edges)).toEqual(new Map([['order', { timeoutMs: 400, callers: ['gateway', 'cart'] }]]));
  });

  it("fires when the callee's own timeouts and retries downstream outlast the caller's timeout", () => {
    const downstream = edge({ service: 'order', peer: 'inventory', timeoutMs: 300, configuredAttempts: 4 });
    expect(timeoutInversions([edge({ timeoutMs: 1000 }), downstream], [])).toMatchObject([
      { kind: 'timeout_inversion', severity: 'warning', observed: { calleeWorstCaseMs: 1200 } },
    ]);
    expect(timeoutInversions([edge({ timeoutMs: 1200 }), downstream], [])).toEqual([]);
  });
});

describe('retry_amplification', () => {
  const failing = { calls: 100, errors: 50 };

  it('fires at 3 attempts per call on one edge while the callee fails', () => {
    expect(retryAmplifications([edge({ ...failing, attemptsPerCall: 3, maxAttempts: 4, configuredAttempts: 4 })])).toMatchObject([
      { kind: 'retry_amplification', severity: 'warning', service: 'gateway', peerService: 'order', observed: { amplification: 3 } },
    ]);
  });

  it('multiplies attempts along a path (gateway → order → inventory)', () => {
    const findings = retryAmplifications([
      edge({ attemptsPerCall: 2, errors: 10 }),
      edge({ service: 'order', peer: 'inventory', operation: 'inventory reserve', attemptsPerCall: 2, ...failing }),
    ]);
    expect(findings).toMatchObject([{ service: 'gateway', peerService: 'inventory', observed: { amplification: 4 }, configured: { hops: 2 } }]);
    expect(findings[0]?.explanation).toContain('gateway → order → inventory');
  });

  it('does not fire below 3 attempts, or while the callee mostly succeeds', () => {
    expect(retryAmplifications([edge({ ...failing, attemptsPerCall: 2.9 })])).toEqual([]);
    expect(retryAmplifications([edge({ calls: 100, errors: 19, attemptsPerCall: 4 })])).toEqual([]);
  });
});

describe('unguarded_dependency', () => {
  it('fires for unguarded calls to a named peer once there are enough of them', () => {
    const calls = { service: 'payment', peer: 'fraud-api', operation: 'POST', p99Ms: 850, traceIds: ['a'] };
    expect(unguardedDependencies([{ ...calls, calls: findingThresholds.minCalls }])).toMatchObject([
      { kind: 'unguarded_dependency', severity: 'warning', peerService: 'fraud-api', observed: { p99Ms: 850 } },
    ]);
    expect(unguardedDependencies([{ ...calls, calls: findingThresholds.minCalls - 1 }])).toEqual([]);
  });
});

describe('breaker_flapping', () => {
  it('fires from the threshold of openings on', () => {
    const breaker = { service: 'payment', breaker: 'payment->payment-provider', peer: 'payment-provider', reopens: 2, traceIds: [] };
    expect(flappingBreakers([{ ...breaker, opens: findingThresholds.breakerOpens }])).toMatchObject([{ kind: 'breaker_flapping', severity: 'warning' }]);
    expect(flappingBreakers([{ ...breaker, opens: findingThresholds.breakerOpens - 1 }])).toEqual([]);
  });
});

describe('bulkhead_saturation', () => {
  it('fires on any rejection, or on queue waits from the threshold share on', () => {
    expect(saturatedBulkheads([edge({ bulkheadLimit: 4, bulkheadRejections: 10 })])).toMatchObject([{ severity: 'critical', observed: { rejections: 10 } }]);
    expect(saturatedBulkheads([edge({ bulkheadLimit: 4, queueWaitShare: findingThresholds.bulkheadQueueShare })])).toMatchObject([{ severity: 'warning' }]);
    expect(saturatedBulkheads([edge({ bulkheadLimit: 4, queueWaitShare: 0.29 })])).toEqual([]);
    expect(saturatedBulkheads([edge({ bulkheadLimit: 0, bulkheadRejections: 10 })])).toEqual([]);
  });
});

describe('retry_not_idempotent', () => {
  it('fires on a single retried call marked not idempotent', () => {
    expect(nonIdempotentRetries([edge({ nonIdempotentRetries: 1 })])).toMatchObject([{ kind: 'retry_not_idempotent', severity: 'critical' }]);
    expect(nonIdempotentRetries([edge({})])).toEqual([]);
  });
});

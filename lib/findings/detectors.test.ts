import { describe, expect, it } from 'vitest';
import { calleeTimeouts, flappingBreakers, nonIdempotentRetries, retryAmplifications, saturatedBulkheads, timeoutInversions, unguardedDependencies } from './detectors';
import type { GuardedEdge } from './spanRows';
import { findingThresholds } from './thresholds';

const edge = (overrides: Partial<GuardedEdge>): GuardedEdge => ({
  service: 'gateway',
  peer: 'order',
  operation: 'order place',
  calls: 100,
  errors: 0,
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
const served = (p50Ms: number, p95Ms: number, calls = 100) => [{ callee: 'order', calls, p50Ms, p95Ms }];

describe('timeout_inversion', () => {
  it('fires when the caller gives up before the callee answers at p95, critical below its p50', () => {
    expect(timeoutInversions([edge({ timeoutMs: 1000 })], served(400, 1200))).toMatchObject([
      { kind: 'timeout_inversion', severity: 'warning', service: 'gateway', peerService: 'order', observed: { calleeP95Ms: 1200 }, configured: { timeoutMs: 1000 } },
    ]);
    expect(timeoutInversions([edge({ timeoutMs: 1000 })], served(1100, 1200))[0]?.severity).toBe('critical');
  });

  it('does not fire at the boundary (timeout equal to the p95) or on too few calls', () => {
    expect(timeoutInversions([edge({ timeoutMs: 1200 })], served(400, 1200))).toEqual([]);
    expect(timeoutInversions([edge({ timeoutMs: 1000 })], served(400, 1200, findingThresholds.minCalls - 1))).toEqual([]);
    expect(timeoutInversions([edge({ timeoutMs: 1000, calls: findingThresholds.minCalls - 1 })], served(400, 1200))).toEqual([]);
  });

  it("asks for the latency of each judged callee, with the shortest timeout its callers give it", () => {
    const edges = [
      edge({ timeoutMs: 1000 }),
      edge({ service: 'cart', timeoutMs: 400 }),
      edge({ service: 'search', timeoutMs: 100, calls: findingThresholds.minCalls - 1 }),
      edge({ peer: 'inventory', timeoutMs: 0 }),
    ];
    expect(calleeTimeouts(edges)).toEqual(new Map([['order', 400]]));
  });

  it("fires when the callee's own timeouts and retries downstream outlast the caller's timeout", () => {
    const downstream = edge({ service: 'order', peer: 'inventory', timeoutMs: 300, configuredAttempts: 4 });
    expect(timeoutInversions([edge({ timeoutMs: 1000 }), downstream], served(50, 100))).toMatchObject([
      { kind: 'timeout_inversion', severity: 'warning', observed: { calleeWorstCaseMs: 1200 } },
    ]);
    expect(timeoutInversions([edge({ timeoutMs: 1200 }), downstream], served(50, 100))).toEqual([]);
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

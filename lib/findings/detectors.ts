/**
 * The detectors: each turns the rows of `spanRows.ts` into findings, with the evidence to look up for
 * each. Pure functions, so each boundary is tested without a store (`detectors.test.ts`).
 */
import type { Finding } from '../contract/findings';
import { configuredEdgeKey, type BreakerOpenings, type GuardedEdge, type JudgedCallee, type SlowAnswers, type UnguardedCalls } from './spanRows';
import { findingThresholds as limits } from './thresholds';

/** Where a finding's evidence traces come from. */
export type Evidence =
  | { kind: 'traces'; traceIds: string[] }
  | { kind: 'slowCallee'; caller: string; callee: string; thresholdMs: number }
  | { kind: 'guarded'; edge: GuardedEdge; condition: 'retried' | 'nonIdempotentRetry' | 'bulkhead' };

export type Draft = Omit<Finding, 'evidenceTraceIds'> & { evidence: Evidence };

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/** The callees a timeout inversion may involve: each with the shortest timeout a judged caller gives it, and those callers. */
export function judgedCallees(edges: GuardedEdge[]): Map<string, JudgedCallee> {
  const callees = new Map<string, JudgedCallee>();
  for (const edge of edges) {
    if (edge.timeoutMs === 0 || edge.calls < limits.minCalls) continue;
    const known = callees.get(edge.peer);
    callees.set(edge.peer, {
      timeoutMs: Math.min(edge.timeoutMs, known?.timeoutMs ?? Infinity),
      callers: [...new Set([...(known?.callers ?? []), edge.service])],
    });
  }
  return callees;
}

/** How many of `n` values are longer than their nearest-rank `percentile`: its index among them, longest first. */
const longerThanPercentile = (percentile: number, n: number) => Math.floor((n * (100 - percentile)) / 100);

/**
 * A caller that gives up before its callee usually answers it, or before the callee's own retries can
 * finish. The callee's p95 for an edge's calls is over the timeout exactly when more than 5% of its
 * answers to them outlast the timeout, so only those answers are needed: the p95 is the one at its
 * nearest rank among them, and the p50 is known (over the timeout: critical) when more than half are.
 */
export function timeoutInversions(edges: GuardedEdge[], slow: SlowAnswers[]): Draft[] {
  const drafts: Draft[] = [];
  for (const edge of edges) {
    if (edge.timeoutMs === 0 || edge.calls < limits.minCalls) continue;
    const answers = slow.find((callee) => callee.callee === edge.peer);
    const edgeAnswers = answers?.byEdge.get(configuredEdgeKey(edge));
    const over = edgeAnswers?.durationsMs ?? [];
    const p95Ms = over[longerThanPercentile(95, edge.attempts)];
    const p50Ms = over[longerThanPercentile(50, edge.attempts)];
    // Unless the callee's slow answers were cut above the timeout, all those over it are counted.
    const counted = !answers || answers.cutAtMs <= edge.timeoutMs;
    const downstream = edges.filter((next) => next.service === edge.peer && next.timeoutMs > 0);
    const worstDownstreamMs = Math.max(0, ...downstream.map((next) => next.timeoutMs * Math.max(1, next.configuredAttempts)));
    const base = { kind: 'timeout_inversion' as const, service: edge.service, peerService: edge.peer, operation: edge.operation };
    const configured = { timeoutMs: edge.timeoutMs };
    if (p95Ms !== undefined) {
      const slowShare = `${counted ? '' : 'at least '}${Math.floor((over.length / edge.attempts) * 100)}%`;
      drafts.push({
        ...base,
        severity: p50Ms === undefined ? 'warning' : 'critical',
        explanation:
          p50Ms === undefined
            ? `${edge.service} gives up on ${edge.peer} after ${edge.timeoutMs} ms, but ${edge.peer} takes ${round(p95Ms)} ms at p95 to answer it (${slowShare} of its answers take longer than that timeout): slow answers are abandoned while ${edge.peer} keeps working on them.`
            : `${edge.service} gives up on ${edge.peer} after ${edge.timeoutMs} ms, but ${edge.peer} takes ${round(p95Ms)} ms at p95 and ${round(p50Ms)} ms at p50 to answer it: most answers are abandoned while ${edge.peer} keeps working on them.`,
        observed: {
          calleeP95Ms: round(p95Ms),
          ...(p50Ms !== undefined && { calleeP50Ms: round(p50Ms) }),
          ...(counted && { slowShare: round(over.length / edge.attempts, 3) }),
          attempts: edge.attempts,
        },
        configured,
        evidence: { kind: 'traces', traceIds: edgeAnswers?.traceIds ?? [] },
      });
    } else if (edge.timeoutMs < worstDownstreamMs) {
      drafts.push({
        ...base,
        severity: 'warning',
        explanation: `${edge.service} gives up on ${edge.peer} after ${edge.timeoutMs} ms, but ${edge.peer}'s own timeouts and retries downstream may take up to ${worstDownstreamMs} ms: its retries can't finish before the caller has left.`,
        observed: { calleeWorstCaseMs: worstDownstreamMs },
        configured,
        evidence: { kind: 'slowCallee', caller: edge.service, callee: edge.peer, thresholdMs: edge.timeoutMs },
      });
    }
  }
  return drafts;
}

/** Attempts per logical call multiplied along each path of guarded edges, while the last callee fails. */
export function retryAmplifications(edges: GuardedEdge[]): Draft[] {
  const drafts: Draft[] = [];
  const paths = (edge: GuardedEdge, seen: Set<string>): GuardedEdge[][] => {
    const next = edges.filter((candidate) => candidate.service === edge.peer && !seen.has(candidate.service));
    if (next.length === 0) return [[edge]];
    return next.flatMap((candidate) => paths(candidate, new Set([...seen, candidate.service])).map((rest) => [edge, ...rest]));
  };
  const reported = new Set<string>();
  for (const first of edges) {
    for (const path of paths(first, new Set([first.service]))) {
      // Every prefix of a path is a path too: judge each, so a storm on a single edge is found.
      for (let length = 1; length <= path.length; length++) {
        const hops = path.slice(0, length);
        const last = hops[hops.length - 1]!;
        const amplification = hops.reduce((product, hop) => product * hop.attemptsPerCall, 1);
        const errorRate = last.calls === 0 ? 0 : last.errors / last.calls;
        const key = hops.map((hop) => `${hop.service}>${hop.peer}:${hop.operation}`).join('|');
        if (reported.has(key) || last.calls < limits.minCalls || amplification < limits.retryAmplification || errorRate < limits.retryStormErrorRate) continue;
        // A longer path that only repeats what a shorter one (its start, or its end) found adds nothing.
        const product = (part: GuardedEdge[]) => part.reduce((total, hop) => total * hop.attemptsPerCall, 1);
        if (hops.length > 1 && Math.max(product(hops.slice(0, -1)), product(hops.slice(1))) >= limits.retryAmplification) continue;
        reported.add(key);
        const route = [hops[0]!.service, ...hops.map((hop) => hop.peer)].join(' → ');
        drafts.push({
          kind: 'retry_amplification',
          severity: amplification >= 2 * limits.retryAmplification ? 'critical' : 'warning',
          service: hops[0]!.service,
          peerService: last.peer,
          operation: last.operation,
          explanation: `Retries multiply along ${route}: each call there becomes ${round(amplification)} attempts on ${last.peer} while ${Math.round(errorRate * 100)}% of them fail, a retry storm that keeps it down.`,
          observed: { amplification: round(amplification, 2), attemptsPerCall: round(last.attemptsPerCall, 2), maxAttempts: last.maxAttempts, errorRate: round(errorRate, 3) },
          configured: { maxAttempts: last.configuredAttempts, hops: hops.length },
          evidence: { kind: 'guarded', edge: last, condition: 'retried' },
        });
      }
    }
  }
  return drafts;
}

export function unguardedDependencies(calls: UnguardedCalls[]): Draft[] {
  return calls
    .filter((call) => call.calls >= limits.minCalls)
    .map((call) => ({
      kind: 'unguarded_dependency',
      severity: 'warning',
      service: call.service,
      peerService: call.peer,
      operation: call.operation,
      explanation: `${call.service} calls ${call.peer} with no timeout or circuit breaker around the call: when ${call.peer} hangs (p99 ${round(call.p99Ms)} ms now), ${call.service} waits with it.`,
      observed: { calls: call.calls, p99Ms: round(call.p99Ms) },
      configured: {},
      evidence: { kind: 'traces', traceIds: call.traceIds },
    }));
}

export function flappingBreakers(openings: BreakerOpenings[]): Draft[] {
  return openings
    .filter((breaker) => breaker.opens >= limits.breakerOpens)
    .map((breaker) => ({
      kind: 'breaker_flapping',
      severity: breaker.opens >= 4 * limits.breakerOpens ? 'critical' : 'warning',
      service: breaker.service,
      peerService: breaker.peer,
      operation: '',
      explanation: `Breaker ${breaker.breaker} opened ${breaker.opens} times in this range (${breaker.reopens} of them straight after a failed trial): its dependency never recovers for long, or its threshold trips on ordinary errors.`,
      observed: { opens: breaker.opens, reopens: breaker.reopens },
      configured: { opensThreshold: limits.breakerOpens },
      evidence: { kind: 'traces', traceIds: breaker.traceIds },
    }));
}

export function saturatedBulkheads(edges: GuardedEdge[]): Draft[] {
  return edges
    .filter((edge) => edge.bulkheadLimit > 0 && edge.calls >= limits.minCalls && (edge.bulkheadRejections > 0 || edge.queueWaitShare >= limits.bulkheadQueueShare))
    .map((edge) => {
      const rejectedShare = edge.bulkheadRejections / edge.calls;
      return {
        kind: 'bulkhead_saturation',
        severity: rejectedShare >= 0.05 ? 'critical' : 'warning',
        service: edge.service,
        peerService: edge.peer,
        operation: edge.operation,
        explanation:
          edge.bulkheadRejections > 0
            ? `The bulkhead of ${edge.service} → ${edge.peer} (${edge.bulkheadLimit} at a time) refused ${edge.bulkheadRejections} of ${edge.calls} calls: it is too small for the load, or ${edge.peer} is too slow.`
            : `Calls from ${edge.service} to ${edge.peer} spend ${Math.round(edge.queueWaitShare * 100)}% of their time queued for the bulkhead (${edge.bulkheadLimit} at a time).`,
        observed: { rejections: edge.bulkheadRejections, calls: edge.calls, queueWaitShare: round(edge.queueWaitShare, 3) },
        configured: { limit: edge.bulkheadLimit },
        evidence: { kind: 'guarded', edge, condition: 'bulkhead' },
      };
    });
}

export function nonIdempotentRetries(edges: GuardedEdge[]): Draft[] {
  return edges
    .filter((edge) => edge.nonIdempotentRetries > 0)
    .map((edge) => ({
      kind: 'retry_not_idempotent',
      severity: 'critical',
      service: edge.service,
      peerService: edge.peer,
      operation: edge.operation,
      explanation: `${edge.service} retried ${edge.nonIdempotentRetries} calls to ${edge.peer} ${edge.operation} that are marked not idempotent: a retry may repeat a side effect such as a charge.`,
      observed: { retriedCalls: edge.nonIdempotentRetries, calls: edge.calls },
      configured: { maxAttempts: edge.configuredAttempts },
      evidence: { kind: 'guarded', edge, condition: 'nonIdempotentRetry' },
    }));
}

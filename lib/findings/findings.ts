/**
 * `/api/findings`: every detector over one time range, each finding with up to 5 evidence traces,
 * most severe first.
 */
import { z } from 'zod';
import { findingSeverities, type Finding, type Findings } from '../contract/findings';
import type { QueryStore } from '../clickhouse/selectRows';
import { sql } from '../clickhouse/sql';
import { serviceName, timeRangeFields, type TimeRange } from '../input';
import {
  flappingBreakers,
  judgedCallees,
  nonIdempotentRetries,
  retryAmplifications,
  saturatedBulkheads,
  timeoutInversions,
  unguardedDependencies,
  type Draft,
} from './detectors';
import { breakerOpenings, edgeKey, guardedEdges, guardedEvidence, slowAnswers, slowCalleeEvidence, unguardedCalls } from './spanRows';

export const findingsInput = z.object({ ...timeRangeFields, service: serviceName.optional() });
export type FindingsInput = z.infer<typeof findingsInput>;

const conditions = {
  retried: sql`toUInt32OrZero(SpanAttributes['resilience.retry.attempt']) > 0`,
  nonIdempotentRetry: sql`SpanAttributes['resilience.idempotent'] = 'false' AND toUInt32OrZero(SpanAttributes['resilience.retry.attempt']) > 0`,
  bulkhead: sql`NOT mapContains(SpanAttributes, 'resilience.bulkhead.queue_wait_ms') OR toUInt32OrZero(SpanAttributes['resilience.bulkhead.queue_wait_ms']) > 0`,
};

type GuardedSearches = Map<keyof typeof conditions, Promise<Map<string, string[]>>>;

/** One evidence search per condition, for all the edges whose findings need it. */
function searchGuardedEvidence(store: QueryStore, range: TimeRange, drafts: Draft[]): GuardedSearches {
  const searches: GuardedSearches = new Map();
  for (const condition of Object.keys(conditions) as (keyof typeof conditions)[]) {
    const edges = drafts.flatMap(({ evidence }) => (evidence.kind === 'guarded' && evidence.condition === condition ? [evidence.edge] : []));
    if (edges.length > 0) searches.set(condition, guardedEvidence(store, range, edges, conditions[condition]));
  }
  return searches;
}

async function evidenceOf(store: QueryStore, range: TimeRange, { evidence }: Draft, guarded: GuardedSearches): Promise<string[]> {
  if (evidence.kind === 'traces') return evidence.traceIds.slice(0, 5);
  if (evidence.kind === 'slowCallee') return slowCalleeEvidence(store, range, evidence.caller, evidence.callee, evidence.thresholdMs);
  return (await guarded.get(evidence.condition))?.get(edgeKey(evidence.edge)) ?? [];
}

export async function listFindings(store: QueryStore, input: FindingsInput): Promise<Findings> {
  const range = { from: input.from, to: input.to };
  const edgesAndSlowAnswers = async () => {
    const edges = await guardedEdges(store, range);
    return { edges, slow: await slowAnswers(store, range, judgedCallees(edges)) };
  };
  const [{ edges, slow }, unguarded, openings] = await Promise.all([edgesAndSlowAnswers(), unguardedCalls(store, range), breakerOpenings(store, range)]);
  const drafts = [
    ...timeoutInversions(edges, slow),
    ...retryAmplifications(edges),
    ...unguardedDependencies(unguarded),
    ...flappingBreakers(openings),
    ...saturatedBulkheads(edges),
    ...nonIdempotentRetries(edges),
  ].filter((draft) => !input.service || draft.service === input.service || draft.peerService === input.service);
  const guarded = searchGuardedEvidence(store, range, drafts);
  const findings: Finding[] = await Promise.all(
    drafts.map(async (draft) => {
      const { evidence: _evidence, ...finding } = draft;
      return { ...finding, evidenceTraceIds: await evidenceOf(store, range, draft, guarded) };
    }),
  );
  findings.sort((a, b) => findingSeverities.indexOf(a.severity) - findingSeverities.indexOf(b.severity));
  return { findings };
}

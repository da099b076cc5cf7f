import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFaultline, type TestFaultline } from '@/tests/support/faultline';
import { FixtureSpans, hex } from '@/tests/support/findingSpans';
import type { Finding } from '../contract/findings';
import { judgedCallees, timeoutInversions } from './detectors';
import { listFindings } from './findings';
import { configuredEdgeKey, guardedEdges, slowAnswers } from './spanRows';

/**
 * A timeout inversion is judged by the callee's answers to the caller that set the timeout, not by
 * its answers to everyone: a callee slow for one caller only is found on that edge, and a callee slow
 * for another caller is no finding on an edge it answers quickly.
 */
let faultline: TestFaultline;
const now = Date.now();
const range = { from: now - 600_000, to: now + 60_000 };
const spans = new FixtureSpans(now - 120_000);
const traces: Record<string, string[]> = {};

/** `count` guarded calls from `caller` (timeout `timeoutMs`) to `callee`, answered in `calleeMs`. */
function calls(caller: string, callee: string, timeoutMs: number, count: number, calleeMs: number | ((i: number) => number), operation?: string) {
  for (let i = 0; i < count; i++) {
    const traceId = hex(16);
    (traces[caller] ??= []).push(traceId);
    spans.guardedCall(traceId, caller, callee, { 'resilience.timeout.ms': timeoutMs, 'resilience.retry.attempt': 0 }, typeof calleeMs === 'number' ? calleeMs : calleeMs(i), false, operation);
  }
}

let findings: Finding[];
const inversion = (caller: string, callee: string) =>
  findings.filter((finding) => finding.kind === 'timeout_inversion' && finding.service === caller && finding.peerService === callee);

beforeAll(async () => {
  faultline = await startTestFaultline();
  // stock answers web slowly (10 of 40 calls take 300 ms) and batch quickly (400 calls in 10 ms): over
  // all its answers the p95 is 20 ms, under web's timeout.
  calls('web', 'stock', 100, 40, (i) => (i < 10 ? 300 : 20));
  calls('batch', 'stock', 1000, 400, 10);
  // A few of stock's longest answers go to a caller too rarely seen to be judged.
  calls('nightly', 'stock', 100, 5, 400);
  // The reverse: ledger answers shop quickly and audit slowly, so its p95 over all is over shop's timeout.
  calls('shop', 'ledger', 100, 25, 20);
  calls('audit', 'ledger', 1000, 25, 500);
  // The boundary: exactly 5% of quote's calls outlast its timeout (the p95 is within it); one call more
  // and price's p95 is its 3rd longest call (nearest rank: the 38th of 40).
  calls('quote', 'rates', 100, 40, (i) => (i < 2 ? 300 : 20));
  calls('price', 'fees', 100, 40, (i) => [300, 250, 200][i] ?? 20);
  // One caller, two operations: files answers desk's listings quickly and its exports slowly, within
  // the export's own timeout.
  calls('desk', 'files', 100, 40, 20, 'files list');
  calls('desk', 'files', 5000, 40, 2000, 'files export');
  // A near miss: every answer takes exactly the timeout.
  calls('tax', 'vat', 100, 40, 100);
  await spans.insert(faultline.store);
  ({ findings } = await listFindings(faultline.store, range));
});

afterAll(async () => {
  await faultline?.stop();
});

describe('timeout_inversion, per caller', () => {
  it("fires for the caller its callee answers slowly, with the p95 of the callee's answers to it", () => {
    const [finding] = inversion('web', 'stock');
    expect(finding).toMatchObject({ severity: 'warning', configured: { timeoutMs: 100 }, observed: { calleeP95Ms: 300, slowShare: 0.25, attempts: 40 } });
    expect(finding?.observed).not.toHaveProperty('calleeP50Ms');
    expect(finding?.evidenceTraceIds.length).toBeGreaterThan(0);
    expect(finding?.evidenceTraceIds.every((id) => traces.web!.includes(id))).toBe(true);
    expect(inversion('batch', 'stock')).toEqual([]);
  });

  it('does not fire for a caller the callee answers quickly, however slow it is for others', () => {
    expect(inversion('shop', 'ledger')).toEqual([]);
    expect(inversion('audit', 'ledger')).toEqual([]);
  });

  it("judges each of a caller's operations by the answers to it, with its own timeout", () => {
    expect(inversion('desk', 'files')).toEqual([]);
  });

  it('does not fire at exactly 5% of calls over the timeout, and fires one call over it', () => {
    expect(inversion('quote', 'rates')).toEqual([]);
    expect(inversion('price', 'fees')).toMatchObject([{ severity: 'warning', observed: { calleeP95Ms: 200, slowShare: 0.075, attempts: 40 } }]);
  });

  it('does not fire when the answers take exactly the timeout', () => {
    expect(inversion('tax', 'vat')).toEqual([]);
  });
});

describe("a callee's slow answers, cut at a limit", () => {
  it('pairs only the longest, and decides from them as far as they reach', async () => {
    const edges = await guardedEdges(faultline.store, range);
    // stock's 10 longest: nightly's 5 (paired with no judged call, but kept) and 5 of web's 10.
    const answers = await slowAnswers(faultline.store, range, judgedCallees(edges), 10);
    const stock = answers.find((callee) => callee.callee === 'stock');
    const web = edges.find((edge) => edge.service === 'web')!;
    expect(stock).toMatchObject({ cutAtMs: 300 });
    expect(stock?.byEdge.get(configuredEdgeKey(web))?.durationsMs).toEqual([300, 300, 300, 300, 300]);
    const [finding] = timeoutInversions([web], answers);
    expect(finding).toMatchObject({ severity: 'warning', observed: { calleeP95Ms: 300, attempts: 40 } });
    expect(finding?.observed).not.toHaveProperty('slowShare');
    expect(finding?.explanation).toContain('at least 12%');
    // fees: its 3 slow answers are all kept, so they are all it has.
    expect(answers.find((callee) => callee.callee === 'fees')).toMatchObject({ cutAtMs: 0 });
  });
});

/**
 * Each misconfiguration flag of the demo, set the way `npm run chaos` sets it, makes its finding appear
 * within 2 minutes, with evidence traces that open. One demo serves every flag in turn; checkouts
 * are driven straight through the gateway (or to order, where the gateway's breaker would hold most of
 * them back) to keep it short.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setFlagEverywhere } from '../../demo-services/chaos/chaos';
import { loadDemoConfig, type DemoConfig } from '../../demo-services/shared/config';
import { callShop, placeOrder, signIn } from '../../demo-services/testing';
import type { Finding, FindingKind } from '../../lib/contract/findings';
import { getTrace } from '../../lib/queries/traceView';
import { startDemoInFaultline, type DemoInFaultline } from './demoStack';

const withinMs = 120_000;

describe('the demo misconfiguration flags', () => {
  let stack: DemoInFaultline;
  let chaosConfig: DemoConfig;
  let token: string;

  beforeAll(async () => {
    stack = await startDemoInFaultline(false);
    chaosConfig = { ...loadDemoConfig(), host: '127.0.0.1', ports: stack.demo.ports };
    token = await signIn(stack.demo.gatewayUrl);
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const setFlags = async (flags: Record<string, number>) => {
    for (const [flag, value] of Object.entries(flags)) {
      const results = await setFlagEverywhere(chaosConfig, flag, value);
      expect(results.filter((result) => !result.ok)).toEqual([]);
    }
  };

  const viaGateway = () => placeOrder(stack.demo.gatewayUrl, token);
  const straightToOrder = () => callShop(`${stack.demo.adminUrls.order}/orders`, { body: { userId: 'u001', items: [{ productId: 'p-mug', quantity: 1 }] } });

  /** Checkouts, four at a time, until the finding shows up (or the 2 minutes are over); then that finding. */
  async function checkoutUntil(kind: FindingKind, service: string, since: number, checkout: () => Promise<unknown> = viaGateway): Promise<Finding> {
    const deadline = since + withinMs;
    let found: Finding | undefined;
    const shopper = async () => {
      while (!found && Date.now() < deadline) await checkout().catch(() => undefined);
    };
    const watcher = async () => {
      while (!found && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 5000));
        found = (await stack.findings(since)).find((finding) => finding.kind === kind && finding.service === service && finding.evidenceTraceIds.length > 0);
      }
    };
    await Promise.all([shopper(), shopper(), shopper(), shopper(), watcher()]);
    if (!found) throw new Error(`no ${kind} finding for ${service} within ${withinMs / 1000} s; findings: ${JSON.stringify(await stack.findings(since))}`);
    return found;
  }

  async function expectEvidenceOpens(finding: Finding) {
    for (const traceId of finding.evidenceTraceIds) {
      const trace = await getTrace(stack.faultline.store, traceId);
      expect(trace.spans.length, `evidence trace ${traceId}`).toBeGreaterThan(0);
    }
  }

  it('gatewayTimeoutInversion: the gateway gives up on checkouts that order goes on serving', async () => {
    const since = Date.now();
    await setFlags({ gatewayTimeoutInversion: 1 });
    const finding = await checkoutUntil('timeout_inversion', 'gateway', since);
    await setFlags({ gatewayTimeoutInversion: 0 });
    expect(finding).toMatchObject({ peerService: 'order', configured: { timeoutMs: 10 } });
    expect(Date.now() - since).toBeLessThan(withinMs);
    await expectEvidenceOpens(finding);
  }, withinMs + 60_000);

  it('orderRetryStorm with inventoryFailure: order hammers a failing inventory', async () => {
    const since = Date.now();
    await setFlags({ inventoryFailure: 1, orderRetryStorm: 1 });
    const finding = await checkoutUntil('retry_amplification', 'order', since, straightToOrder);
    await setFlags({ inventoryFailure: 0, orderRetryStorm: 0 });
    expect(finding).toMatchObject({ peerService: 'inventory', configured: { maxAttempts: 10 } });
    expect(finding.observed.amplification).toBeGreaterThanOrEqual(3);
    await expectEvidenceOpens(finding);
  }, withinMs + 60_000);

  it('paymentUnguardedCall: payment charges the provider with no guard around the call', async () => {
    const since = Date.now();
    await setFlags({ paymentUnguardedCall: 1 });
    const finding = await checkoutUntil('unguarded_dependency', 'payment', since);
    await setFlags({ paymentUnguardedCall: 0 });
    expect(finding).toMatchObject({ peerService: 'payment-provider', severity: 'warning' });
    await expectEvidenceOpens(finding);
  }, withinMs + 60_000);
});

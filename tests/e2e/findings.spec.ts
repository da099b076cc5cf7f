import { expect, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { e2eStack, saveScreenshot } from './stackEnv';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const attribute = (key: string, value: string | number | boolean) => ({
  key,
  value: typeof value === 'string' ? { stringValue: value } : typeof value === 'boolean' ? { boolValue: value } : { intValue: String(value) },
});

/**
 * 25 checkouts of a service the demo doesn't have: `storefront` guards its calls to `pricing` with a
 * 100 ms timeout, and `pricing` takes 300 ms to answer each one (a timeout inversion).
 */
function invertedTimeouts(traceIds: string[]) {
  const start = BigInt(Date.now() - 30_000) * 1_000_000n;
  const spansOf = (service: string, spans: object[]) => ({
    resource: { attributes: [attribute('service.name', service)] },
    scopeSpans: [{ scope: { name: 'findings-e2e' }, spans }],
  });
  const callers: object[] = [];
  const callees: object[] = [];
  traceIds.forEach((traceId, i) => {
    const begin = start + BigInt(i) * 1_000_000_000n;
    const end = begin + 300_000_000n;
    const [guard, client, server] = [hex(8), hex(8), hex(8)];
    const timing = { startTimeUnixNano: String(begin), endTimeUnixNano: String(end) };
    callers.push(
      { traceId, spanId: guard, name: 'pricing quote', kind: 1, ...timing, attributes: [attribute('peer.service', 'pricing'), attribute('resilience.circuit_breaker.name', 'storefront->pricing'), attribute('resilience.timeout.ms', 100), attribute('resilience.retry.attempt', 0)] },
      { traceId, spanId: client, parentSpanId: guard, name: 'GET', kind: 3, ...timing },
    );
    callees.push({ traceId, spanId: server, parentSpanId: client, name: 'GET /quote', kind: 2, ...timing });
  });
  return { resourceSpans: [spansOf('storefront', callers), spansOf('pricing', callees)] };
}

test('the findings page shows a timeout inversion with its numbers side by side and traces that open', async ({ page }, testInfo) => {
  const { uiUrl, otlpEndpoint } = e2eStack();
  const traceIds = Array.from({ length: 25 }, () => hex(16));
  const response = await fetch(`${otlpEndpoint}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(invertedTimeouts(traceIds)),
  });
  expect(response.status).toBe(200);

  await page.goto(`${uiUrl}/findings`);
  await expect(page.locator('.nav-link.active')).toHaveText('Findings');
  const finding = page.locator('[data-testid="finding"][data-kind="timeout_inversion"]', { hasText: 'storefront → pricing' });
  await expect(finding).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('region', { name: 'critical findings' })).toContainText('storefront → pricing');
  await expect(finding).toContainText('storefront gives up on pricing after 100 ms, but pricing takes 300 ms at p95');
  await expect(finding.locator('.finding-numbers', { hasText: 'Configured' })).toContainText('timeout (ms)100');
  await expect(finding.locator('.finding-numbers', { hasText: 'Observed' })).toContainText('callee p95 (ms)300');
  await saveScreenshot(page, testInfo, 'findings');

  const evidence = finding.locator('.finding-evidence a').first();
  const traceId = (await evidence.getAttribute('href'))!.split('/').pop()!;
  expect(traceIds).toContain(traceId);
  await evidence.click();
  await expect(page).toHaveURL(new RegExp(`/traces/${traceId}$`));
  await expect(page.getByTestId('span-count')).toHaveText('3 spans', { timeout: 30_000 });
});

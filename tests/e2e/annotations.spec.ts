import { expect, test } from '@playwright/test';
import { e2eStack, saveScreenshot } from './stackEnv';

async function setPaymentFlag(flag: string, value: number): Promise<void> {
  const response = await fetch(`${e2eStack().adminUrls.payment}/admin/flags`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ flags: { [flag]: value } }),
  });
  expect(response.ok, `setting ${flag}=${value}: HTTP ${response.status}`).toBe(true);
}

test('a fault flag switched on shows as a marker on the service charts, the breaker timeline and the SLO burn-rate chart', async ({ page }, testInfo) => {
  const { uiUrl } = e2eStack();
  // On and straight off again: the markers are what this is about, not the misconfiguration.
  await setPaymentFlag('paymentUnguardedCall', 1);
  await setPaymentFlag('paymentUnguardedCall', 0);

  await page.goto(`${uiUrl}/services/payment?range=15m&refresh=5s`);
  const latency = page.locator('.panel', { has: page.getByRole('heading', { name: 'Latency (p50 / p95 / p99)' }) });
  // The marker's line, and its label (which recharts draws in a layer of its own, above the curves).
  await expect(latency.locator('.annotation-marker line')).not.toHaveCount(0, { timeout: 60_000 });
  await expect(latency.locator('svg text', { hasText: 'paymentUnguardedCall on' })).toBeVisible();
  await saveScreenshot(page, testInfo, 'annotation-service');

  await page.goto(`${uiUrl}/breakers?range=15m&refresh=5s`);
  const tile = page.locator('[data-testid="breaker-tile"][data-breaker="payment->payment-provider"]');
  await expect(tile.getByTestId('state-timeline').locator('.annotation-marker[title^="paymentUnguardedCall on"]')).toHaveCount(1, { timeout: 60_000 });
  await expect(tile.getByTestId('state-timeline').locator('.annotation-marker[title^="paymentUnguardedCall off"]')).toHaveCount(1);

  // checkout-availability is payment's SLO in faultline.slo.yaml, which the stack starts with.
  await page.goto(`${uiUrl}/slos/checkout-availability?range=15m&refresh=5s`);
  const burnRate = page.getByTestId('burn-rate-chart');
  await expect(burnRate.locator('.annotation-marker line')).not.toHaveCount(0, { timeout: 60_000 });
  // The test id sits on the chart's svg itself.
  await expect(burnRate.locator('text', { hasText: 'paymentUnguardedCall on' })).toBeVisible();
  await saveScreenshot(page, testInfo, 'annotation-slo');
});

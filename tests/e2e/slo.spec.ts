import { expect, test } from '@playwright/test';
import { setPaymentProviderFailure } from './paymentFault';
import { e2eStack, saveScreenshot } from './stackEnv';

test.afterEach(async () => {
  await setPaymentProviderFailure(0);
});

test('switching paymentProviderFailure on makes the checkout availability SLO’s alert fire and show in the UI', async ({ page }, testInfo) => {
  const { uiUrl } = e2eStack();
  const probe = await fetch(`${uiUrl}/api/slos`);
  test.skip(probe.status === 503, 'this stack does not run the SLO evaluator (startSloEvaluator in scripts/stack.ts)');
  expect(probe.ok, `GET /api/slos: HTTP ${probe.status}`).toBe(true);

  await page.goto(`${uiUrl}/slos`);
  const row = page.locator('[data-testid="slo-row"][data-slo="checkout-availability"]');
  await expect(row).toBeVisible();
  await setPaymentProviderFailure(1);
  // Two evaluations apart: pending, then firing.
  await expect(row.getByTestId('alert-state')).toHaveAttribute('data-state', 'firing', { timeout: 150_000 });
  await saveScreenshot(page, testInfo, 'slos-firing');

  await row.getByRole('link').first().click();
  await expect(page.getByTestId('burn-rate-chart')).toBeVisible();
  const example = page.getByTestId('alert-history').getByTestId('example-trace').first();
  await expect(example).toBeVisible();
  await saveScreenshot(page, testInfo, 'slo-detail');
  await example.click();
  await expect(page.getByTestId('trace-summary')).toBeVisible({ timeout: 30_000 });
});

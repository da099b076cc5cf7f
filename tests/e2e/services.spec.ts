import { expect, test } from '@playwright/test';
import { e2eStack, saveScreenshot } from './stackEnv';

test('the services page shows request rates and p50/p95/p99 for at least five services', async ({ page }, testInfo) => {
  const { uiUrl } = e2eStack();
  await page.goto(`${uiUrl}/?range=15m&refresh=5s`);
  const rows = page.getByTestId('service-row');
  // The demo's load reaches every service within a few export intervals; the page refreshes itself.
  await expect.poll(() => rows.count(), { timeout: 90_000 }).toBeGreaterThanOrEqual(5);
  const withPercentiles = async () => {
    let count = 0;
    for (const row of await rows.all()) {
      const cells = await Promise.all(['p50', 'p95', 'p99'].map((id) => row.getByTestId(id).textContent()));
      if (cells.every((text) => text && /\d/.test(text))) count++;
    }
    return count;
  };
  await expect.poll(withPercentiles, { timeout: 90_000 }).toBeGreaterThanOrEqual(5);
  await saveScreenshot(page, testInfo, 'services');
});

test('a service page charts latency and throughput and lists operations and neighbours', async ({ page }, testInfo) => {
  const { uiUrl } = e2eStack();
  await page.goto(`${uiUrl}/services/order?range=15m`);
  await expect(page.getByRole('heading', { name: 'Latency (p50 / p95 / p99)' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('operations-table').locator('tbody tr').first()).toBeVisible();
  // The shop's checkouts reach order from the gateway, and order reserves stock at inventory.
  const neighbours = (title: string) => page.locator('.panel', { has: page.getByRole('heading', { name: title }) }).getByRole('listitem');
  await expect(neighbours('Upstream (calls this service)').getByRole('link', { name: 'gateway', exact: true })).toBeVisible();
  await expect(neighbours('Downstream (called by this service)').getByRole('link', { name: 'inventory', exact: true })).toBeVisible();
  await expect(page.locator('.recharts-surface').first()).toBeVisible();
  await saveScreenshot(page, testInfo, 'service-order');
});

test('a bad time range gets the API’s message in the page', async ({ page }) => {
  const { uiUrl } = e2eStack();
  const response = await page.request.get(`${uiUrl}/api/services?from=10&to=5`);
  expect(response.status()).toBe(400);
  expect(await response.json()).toEqual({ error: { code: 'FAULTLINE_ERR_BAD_TIME_RANGE', message: 'from (10) must be before to (5)' } });
  await page.goto(`${uiUrl}/traces?minDurationMs=fast`);
  await expect(page.locator('.state.error')).toContainText('minDurationMs: must be a number of milliseconds');
});

test('a time range without data tells a new user how to send OTLP', async ({ page }, testInfo) => {
  const { uiUrl, otlpEndpoint } = e2eStack();
  await page.goto(`${uiUrl}/?from=1000&to=2000`);
  const empty = page.getByTestId('empty-state');
  await expect(empty).toContainText('No spans in this time range yet');
  // The port the collector is bound to (the test stack asks for any free one), not the configured default.
  await expect(empty).toContainText(`OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:${new URL(otlpEndpoint).port}`);
  await saveScreenshot(page, testInfo, 'services-empty');
});

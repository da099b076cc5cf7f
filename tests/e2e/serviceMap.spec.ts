import { expect, test } from '@playwright/test';
import { e2eStack, saveScreenshot } from './stackEnv';

const shop = ['gateway', 'order', 'payment', 'inventory', 'user', 'notification'];
const edges = [
  ['gateway', 'order'],
  ['gateway', 'user'],
  ['gateway', 'inventory'],
  ['order', 'payment'],
  ['order', 'inventory'],
  ['payment', 'payment-provider'],
];

test('the service map shows the shop’s six services with their call and messaging edges', async ({ page }, testInfo) => {
  const { uiUrl } = e2eStack();
  await page.goto(`${uiUrl}/map?range=15m&refresh=5s`);
  for (const service of shop) {
    await expect(page.locator(`[data-testid="map-node"][data-service="${service}"]`)).toBeVisible({ timeout: 90_000 });
  }
  for (const [source, target] of edges) {
    await expect(page.locator(`[data-testid="map-edge"][data-source="${source}"][data-target="${target}"]`)).toBeAttached({ timeout: 60_000 });
  }
  await expect(page.locator('[data-testid="map-edge"][data-source="payment"][data-target="payment-provider"] [data-testid="map-breaker"]')).toBeAttached();
  // At a desktop width the whole map fits its panel: no service is cut off or needs a scroll.
  for (const node of await page.getByTestId('map-node').all()) await expect(node).toBeInViewport({ ratio: 1 });
  await saveScreenshot(page, testInfo, 'service-map');

  // An edge opens the trace search for its calls; a service opens its page.
  await page.locator('[data-testid="map-edge"][data-source="gateway"][data-target="order"]').click();
  await expect(page).toHaveURL(/\/traces\?.*(peer.service%3Dorder|service=order)/);
  await expect(page.getByTestId('trace-row').first()).toBeVisible({ timeout: 30_000 });
  await page.goBack();
  await page.locator('[data-testid="map-node"][data-service="payment"]').click();
  await expect(page).toHaveURL(/\/services\/payment/);
});

/**
 * `npm run screenshots`: regenerates the README's pictures, `docs/images/*.png`, from the e2e stack
 * (collector, dashboard and the demo shop under load on a fresh store), with the payment provider
 * failing for the breakers, logs and SLO pictures.
 */
import { mkdirSync } from 'node:fs';
import { chromium, expect, type Page } from '@playwright/test';
import globalSetup from '../tests/e2e/globalSetup';
import { setPaymentProviderFailure } from '../tests/e2e/paymentFault';
import { e2eStack } from '../tests/e2e/stackEnv';
import playwrightConfig from '../playwright.config';
import { ensureDashboardBuild } from '../server/ensureDashboardBuild';

const outDir = 'docs/images';
const viewport = { width: 1280, height: 800 };
const dataTimeout = 120_000;
// The views show the last 15 minutes: a few minutes of the shop's load give them something to draw.
const warmUpMs = 180_000;
const faultShownMs = 60_000;
const started = Date.now();

function step(message: string): void {
  console.log(`[${Math.round((Date.now() - started) / 1000)} s] ${message}`);
}

async function wait(ms: number, what: string): Promise<void> {
  for (let left = ms; left > 0; left -= 30_000) {
    step(`  ${what}: ${Math.round(left / 1000)} s left`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(left, 30_000)));
  }
}

async function shoot(page: Page, name: string): Promise<void> {
  // Let charts finish their entry animation.
  await page.waitForTimeout(1_500);
  await page.screenshot({ path: `${outDir}/${name}.png`, scale: 'css' });
  step(`  wrote ${outDir}/${name}.png`);
}

async function services(page: Page, uiUrl: string): Promise<void> {
  step('services: waiting for five services with percentiles');
  await page.goto(`${uiUrl}/?range=15m&refresh=5s`);
  const withPercentiles = page.getByTestId('service-row').filter({ has: page.getByTestId('p99').filter({ hasText: /\d/ }) });
  await expect.poll(() => withPercentiles.count(), { timeout: dataTimeout }).toBeGreaterThanOrEqual(5);
  await shoot(page, 'services');
}

async function serviceMap(page: Page, uiUrl: string): Promise<void> {
  step('map: waiting for the payment provider edge');
  await page.goto(`${uiUrl}/map?range=15m&refresh=5s`);
  await expect(page.locator('[data-testid="map-edge"][data-source="payment"][data-target="payment-provider"]')).toBeAttached({ timeout: dataTimeout });
  await shoot(page, 'map');
}

async function traces(page: Page, uiUrl: string): Promise<void> {
  step('traces: searching the order service’s traces');
  await page.goto(`${uiUrl}/traces?range=15m&service=order`);
  const rows = page.getByTestId('trace-row');
  await expect(rows.first()).toBeVisible({ timeout: dataTimeout });
  await expect(page.locator('.recharts-scatter-symbol').first()).toBeVisible();
  await shoot(page, 'traces');

  step('trace: opening a checkout that reached five services');
  // Checkouts fan out to asynchronous consumers; the results refresh until one shows five services.
  const checkout = rows.filter({ has: page.locator('.chip:nth-of-type(5)') }).first();
  await expect(checkout).toBeVisible({ timeout: dataTimeout });
  await checkout.getByRole('link').first().click();
  await expect(page.getByTestId('trace-summary')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('log-line').first()).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('span-row').first().click();
  await expect(page.getByTestId('span-attributes').getByText('service.name')).toBeVisible();
  await shoot(page, 'trace-waterfall');
}

async function breakers(page: Page, uiUrl: string): Promise<void> {
  step('breakers: waiting for payment->payment-provider to open');
  await page.goto(`${uiUrl}/breakers?range=15m&refresh=5s`);
  const tile = page.locator('[data-testid="breaker-tile"][data-breaker="payment->payment-provider"]');
  await expect(tile).toHaveAttribute('data-state', 'open', { timeout: dataTimeout });
  await wait(faultShownMs, 'letting the failures pile up');
  // Half-open trials keep failing and open it again.
  await expect(tile).toHaveAttribute('data-state', 'open', { timeout: 30_000 });
  await shoot(page, 'breakers');
}

async function logs(page: Page, uiUrl: string): Promise<void> {
  step('logs: searching the payment failures');
  await page.goto(`${uiUrl}/logs?range=15m&live=1&service=payment&severity=warn&severity=error`);
  await expect(page.getByTestId('log-line').first()).toBeVisible({ timeout: dataTimeout });
  await expect(page.getByTestId('log-volume')).toBeVisible();
  await shoot(page, 'logs');
}

async function slos(page: Page, uiUrl: string): Promise<void> {
  step('SLOs: waiting for the checkout availability alert to fire (two evaluations)');
  await page.goto(`${uiUrl}/slos`);
  const row = page.locator('[data-testid="slo-row"][data-slo="checkout-availability"]');
  await expect(row.getByTestId('alert-state')).toHaveAttribute('data-state', 'firing', { timeout: 180_000 });
  await shoot(page, 'slos');
}

mkdirSync(outDir, { recursive: true });
ensureDashboardBuild();
step('starting the stack (collector, dashboard, demo shop under load)');
const stopStack = await globalSetup();
const browser = await chromium.launch(playwrightConfig.use?.launchOptions);
try {
  const { uiUrl } = e2eStack();
  const page = await browser.newPage({ viewport });
  await wait(warmUpMs, 'warming up under the demo load');
  await services(page, uiUrl);
  await serviceMap(page, uiUrl);
  await traces(page, uiUrl);
  step('fault: paymentProviderFailure = 1');
  await setPaymentProviderFailure(1);
  await breakers(page, uiUrl);
  await logs(page, uiUrl);
  await slos(page, uiUrl);
} finally {
  await setPaymentProviderFailure(0).catch(() => undefined);
  await browser.close();
  step('stopping the stack');
  await stopStack();
}
step('done');

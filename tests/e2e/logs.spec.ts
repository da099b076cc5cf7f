import { expect, test } from '@playwright/test';
import { setPaymentProviderFailure } from './paymentFault';
import { e2eStack, saveScreenshot } from './stackEnv';

test.afterEach(async () => {
  await setPaymentProviderFailure(0);
});

test('the logs explorer finds a payment error log and opens its trace', async ({ page }, testInfo) => {
  const { uiUrl } = e2eStack();
  await setPaymentProviderFailure(1);
  await page.goto(`${uiUrl}/logs?range=15m&live=1`);
  await expect.poll(async () => (await page.getByLabel('Service').locator('option').allTextContents()).includes('payment'), { timeout: 90_000 }).toBe(true);

  await page.getByLabel('Text').fill('payment failed');
  await page.getByLabel('Service').selectOption('payment');
  await page.getByRole('checkbox', { name: 'warn' }).check();
  await page.getByRole('checkbox', { name: 'error' }).check();
  await page.getByRole('button', { name: 'Search logs' }).click();
  await expect(page).toHaveURL(/severity=warn/);

  // Live tail follows the failures as the payment service logs them.
  const failure = page.getByTestId('log-line').filter({ hasText: 'payment failed' }).filter({ has: page.getByTestId('log-trace-link') }).first();
  await expect(failure).toBeVisible({ timeout: 60_000 });
  await expect(failure).toContainText('payment');
  await expect(page.getByTestId('log-volume')).toBeVisible();
  await saveScreenshot(page, testInfo, 'logs-explorer');

  // Live tail keeps putting newer lines first: follow the line read, not whichever is first by now.
  const traceId = await failure.getAttribute('data-trace-id');
  await page.locator(`[data-testid="log-line"][data-trace-id="${traceId}"]`).first().getByTestId('log-trace-link').click();
  await expect(page).toHaveURL(new RegExp(`/traces/${traceId}$`));
  await expect(page.getByTestId('trace-summary')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('trace-logs').getByText('payment failed').first()).toBeVisible();

  // And back: the trace's logs open in the explorer, filtered to the trace.
  await page.getByTestId('trace-logs-explorer').click();
  await expect(page).toHaveURL(new RegExp(`/logs\\?.*traceId=${traceId}`));
  await expect(page.getByTestId('log-line').filter({ hasText: 'payment failed' }).first()).toBeVisible();
  await saveScreenshot(page, testInfo, 'logs-of-a-trace');
});

test('live tail shows a line logged after the page loaded, without a reload or a search', async ({ page }) => {
  const { uiUrl, otlpEndpoint } = e2eStack();
  const text = `tail check ${Date.now()}`;
  await page.goto(`${uiUrl}/logs?range=15m&live=1&q=${encodeURIComponent(text)}`);
  await expect(page.getByTestId('empty-state')).toBeVisible();

  const sent = await fetch(`${otlpEndpoint}/v1/logs/json`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body: JSON.stringify({ level: 30, time: Date.now(), service_name: 'e2e-tail', msg: text }),
  });
  expect(sent.status).toBe(200);
  await expect(page.getByTestId('log-line').filter({ hasText: text })).toBeVisible({ timeout: 30_000 });
});

test('scrolling to the end of the log lines loads the next page', async ({ page }) => {
  const { uiUrl } = e2eStack();
  const lines = page.getByTestId('log-line');
  // A search shows one page of 100 lines; reload until the shop has written that many.
  await expect
    .poll(
      async () => {
        await page.goto(`${uiUrl}/logs?range=15m`);
        await expect(page.getByTestId('log-lines').or(page.getByTestId('empty-state'))).toBeVisible();
        return lines.count();
      },
      { timeout: 90_000, intervals: [5_000] },
    )
    .toBe(100);
  await lines.last().scrollIntoViewIfNeeded();
  await expect.poll(() => lines.count(), { timeout: 30_000 }).toBeGreaterThan(100);
  // Newest first across the page boundary.
  const times = await lines.evaluateAll((rows) => rows.map((row) => row.querySelector('.mono')?.textContent ?? ''));
  expect(times.slice(95, 105)).toEqual([...times.slice(95, 105)].sort().reverse());
});

import { expect, test, type Page } from '@playwright/test';
import { e2eStack, saveScreenshot } from './stackEnv';

/** Runs a search through the form: service and minimum duration, as a user would. */
async function searchByServiceAndDuration(page: Page, service: string, minDurationMs: string) {
  await page.getByLabel('Service').selectOption(service);
  await page.getByLabel('Min duration (ms)').fill(minDurationMs);
  await page.getByRole('button', { name: 'Find traces' }).click();
  await expect(page).toHaveURL(new RegExp(`service=${service}.*minDurationMs=${minDurationMs}|minDurationMs=${minDurationMs}.*service=${service}`));
}

test('a trace search by service and minimum duration finds traces, and a checkout trace spans five services with its logs', async ({
  page,
}, testInfo) => {
  const { uiUrl } = e2eStack();
  await page.goto(`${uiUrl}/traces?range=15m&refresh=5s`);
  await expect.poll(async () => (await page.getByLabel('Service').locator('option').allTextContents()).includes('order'), { timeout: 90_000 }).toBe(true);
  await searchByServiceAndDuration(page, 'order', '1');
  const rows = page.getByTestId('trace-row');
  await expect(rows.first()).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('.recharts-scatter-symbol').first()).toBeVisible();
  await saveScreenshot(page, testInfo, 'trace-search');

  // A checkout fans out to the asynchronous consumers; wait (the results refresh) for a trace that
  // already shows five services.
  const wideTrace = rows.filter({ has: page.locator('.chip:nth-of-type(5)') }).first();
  await expect(wideTrace).toBeVisible({ timeout: 90_000 });
  await wideTrace.getByRole('link').first().click();

  await expect(page.getByTestId('trace-summary')).toBeVisible({ timeout: 30_000 });
  const services = Number((await page.getByTestId('service-count').textContent())?.match(/\d+/)?.[0]);
  expect(services).toBeGreaterThanOrEqual(5);
  expect(new Set(await page.getByTestId('span-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-service')))).size).toBeGreaterThanOrEqual(5);
  await expect(page.getByTestId('log-line').first()).toBeVisible();

  // The waterfall holds outlines; opening a span fetches its attributes and resource.
  await page.getByTestId('span-row').first().click();
  await expect(page.getByTestId('span-detail')).toBeVisible();
  await expect(page.getByTestId('span-attributes').getByText('service.name')).toBeVisible();
  await saveScreenshot(page, testInfo, 'trace-view');
});

test('clicking a point of the scatter chart opens its trace', async ({ page }) => {
  const { uiUrl } = e2eStack();
  await page.goto(`${uiUrl}/traces?range=15m&service=gateway`);
  // The last dot is drawn on top: an earlier one may lie under a neighbour that takes the click.
  const dot = page.locator('.recharts-scatter-symbol').last();
  await expect(dot).toBeVisible({ timeout: 60_000 });
  await dot.click();
  await expect(page).toHaveURL(/\/traces\/[0-9a-f]{32}$/);
  await expect(page.getByTestId('trace-summary')).toBeVisible();
});

test('a trace opened before its spans are stored appears once they arrive, and takes in late spans and log lines', async ({ page }) => {
  const { uiUrl, otlpEndpoint } = e2eStack();
  const traceId = `${Date.now().toString(16)}`.padStart(32, 'a');
  const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'late-sender' } }] };
  const send = async (signal: 'traces' | 'logs', body: object) =>
    expect((await fetch(`${otlpEndpoint}/v1/${signal}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).status).toBe(200);
  const nowNs = () => BigInt(Date.now()) * 1_000_000n;
  const span = (spanId: string, parentSpanId: string, name: string) => {
    const end = nowNs();
    return { traceId, spanId, parentSpanId, name, kind: 2, startTimeUnixNano: String(end - 5_000_000n), endTimeUnixNano: String(end) };
  };

  await page.goto(`${uiUrl}/traces/${traceId}`);
  await expect(page.getByText(/not stored yet, asking again/)).toBeVisible({ timeout: 15_000 });
  await send('traces', { resourceSpans: [{ resource, scopeSpans: [{ spans: [span('b7ad6b7169203331', '', 'late checkout')] }] }] });
  await expect(page.getByTestId('trace-summary')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('span-count')).toHaveText('1 span');

  // A consumer's span and log line, seconds later: the open page takes them in without a reload.
  await send('traces', { resourceSpans: [{ resource, scopeSpans: [{ spans: [span('c8aa6053b2e4c9e8', 'b7ad6b7169203331', 'process late order')] }] }] });
  await send('logs', {
    resourceLogs: [{ resource, scopeLogs: [{ logRecords: [{ timeUnixNano: String(nowNs()), severityText: 'INFO', body: { stringValue: 'late order handled' }, traceId, spanId: 'c8aa6053b2e4c9e8' }] }] }],
  });
  await expect(page.getByTestId('span-count')).toHaveText('2 spans', { timeout: 20_000 });
  await expect(page.getByTestId('trace-logs').getByText('late order handled')).toBeVisible({ timeout: 20_000 });
});

import { expect, test, type Locator } from '@playwright/test';
import { e2eStack, saveScreenshot } from './stackEnv';

const spanCount = 10_000;
const hex = (value: number, width: number) => value.toString(16).padStart(width, '0');

/** One trace of 10,000 spans as OTLP/JSON: a root with 100 children of 99 children each. */
function largeTrace(traceId: string) {
  const start = BigInt(Date.now() - 60_000) * 1_000_000n;
  const spans = Array.from({ length: spanCount }, (_, i) => {
    const parent = i === 0 ? '' : i <= 100 ? hex(1, 16) : hex(2 + Math.floor((i - 101) / 99), 16);
    const begin = start + BigInt(i) * 100_000n;
    return {
      traceId,
      spanId: hex(i + 1, 16),
      parentSpanId: parent,
      name: `step ${i}`,
      kind: 1,
      startTimeUnixNano: String(begin),
      endTimeUnixNano: String(begin + (i === 0 ? 2_000_000_000n : 500_000n)),
    };
  });
  return { resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'bulk-loader' } }] }, scopeSpans: [{ spans }] }] };
}

/** The trace offsets at the time axis's two edges, read off its tick labels and their positions. */
async function visibleRangeMs(axis: Locator): Promise<[number, number]> {
  const ticks = await axis.locator('.tick').evaluateAll((elements) =>
    elements.map((element) => ({ position: parseFloat((element as HTMLElement).style.left) / 100, label: element.textContent ?? '' })),
  );
  const ms = (label: string) => {
    const [value, unit] = label.split(' ');
    return Number(value) * (unit === 's' ? 1000 : unit === 'ms' ? 1 : NaN);
  };
  const first = ticks[0]!;
  const last = ticks.at(-1)!;
  const msPerAxis = (ms(last.label) - ms(first.label)) / (last.position - first.position);
  return [ms(first.label) - first.position * msPerAxis, ms(first.label) + (1 - first.position) * msPerAxis];
}

test('a 10,000-span trace opens and scrolls with only the visible rows in the page', async ({ page }, testInfo) => {
  const { uiUrl, otlpEndpoint } = e2eStack();
  const traceId = hex(Date.now(), 32);
  const response = await fetch(`${otlpEndpoint}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(largeTrace(traceId)),
  });
  expect(response.status).toBe(200);

  await page.goto(`${uiUrl}/traces/${traceId}`);
  await expect(page.getByTestId('span-count')).toHaveText(`${spanCount} spans`, { timeout: 30_000 });
  // Large traces open collapsed below the third level: everything is one click away.
  await page.getByRole('button', { name: 'Expand all' }).click();
  await expect(page.getByText(`${spanCount} of ${spanCount} spans shown`)).toBeVisible();
  expect(await page.getByTestId('span-row').count()).toBeLessThan(200);

  const list = page.getByTestId('waterfall-rows');
  const started = Date.now();
  await list.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  await expect(page.getByTestId('span-row').filter({ hasText: `step ${spanCount - 1}` })).toBeVisible();
  expect(Date.now() - started).toBeLessThan(2_000);

  // Dragging across the time axis zooms to the dragged stretch.
  const axis = page.locator('.ticks');
  const box = (await axis.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.1, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect(page.getByRole('button', { name: 'Whole trace' })).toBeEnabled();
  // The root lasts 2 s, the whole trace: a tenth to three tenths of the axis is 200 ms to 600 ms.
  const [from, to] = await visibleRangeMs(axis);
  expect(Math.abs(from - 200)).toBeLessThan(10);
  expect(Math.abs(to - 600)).toBeLessThan(10);
  await saveScreenshot(page, testInfo, 'trace-10k-spans');
});

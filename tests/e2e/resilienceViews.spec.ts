import { expect, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { e2eStack, saveScreenshot } from './stackEnv';

/**
 * The resilience overlays, the trace comparison and a findings badge, each on spans these tests send
 * (services the demo doesn't have), so what they look for is there whatever the demo is doing.
 */

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
type Value = string | number | boolean;
const attributes = (values: Record<string, Value>) =>
  Object.entries(values).map(([key, value]) => ({
    key,
    value: typeof value === 'string' ? { stringValue: value } : typeof value === 'boolean' ? { boolValue: value } : { intValue: String(value) },
  }));

type SpanSpec = { id: string; parent?: string; service: string; name: string; kind: number; fromMs: number; toMs: number; attrs?: Record<string, Value> };

/** One trace's spans, grouped by service into an OTLP/JSON body, timed from `startMs`. */
function traceBody(traceId: string, startMs: number, spans: SpanSpec[]) {
  const services = [...new Set(spans.map((span) => span.service))];
  const nanos = (ms: number) => String(BigInt(Math.round((startMs + ms) * 1000)) * 1000n);
  return {
    resourceSpans: services.map((service) => ({
      resource: { attributes: attributes({ 'service.name': service }) },
      scopeSpans: [
        {
          scope: { name: 'resilience-views-e2e' },
          spans: spans
            .filter((span) => span.service === service)
            .map((span) => ({
              traceId,
              spanId: span.id,
              parentSpanId: span.parent ?? '',
              name: span.name,
              kind: span.kind,
              startTimeUnixNano: nanos(span.fromMs),
              endTimeUnixNano: nanos(span.toMs),
              attributes: attributes(span.attrs ?? {}),
            })),
        },
      ],
    })),
  };
}

async function send(body: object) {
  const { otlpEndpoint } = e2eStack();
  const response = await fetch(`${otlpEndpoint}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
}

const [SERVER, CLIENT, INTERNAL] = [2, 3, 1];

/** kiosk's guarded call to catalog: its configuration, and what `happened`. */
const catalogLookup = (id: string, parent: string, fromMs: number, toMs: number, happened: Record<string, Value>): SpanSpec => ({
  id,
  parent,
  service: 'kiosk',
  name: 'catalog lookup',
  kind: INTERNAL,
  fromMs,
  toMs,
  attrs: {
    'resilience.circuit_breaker.name': 'kiosk->catalog',
    'resilience.timeout.ms': 100,
    'resilience.retry.max_attempts': 3,
    'resilience.circuit_breaker.failure_threshold': 2,
    'resilience.circuit_breaker.half_open_after_ms': 5000,
    'resilience.idempotent': true,
    ...happened,
  },
});

/** A checkout whose catalog lookup answered at once. */
function healthy(traceId: string, startMs: number) {
  const [root, guard, attempt, server] = [hex(8), hex(8), hex(8), hex(8)];
  return traceBody(traceId, startMs, [
    { id: root, service: 'kiosk', name: 'POST /buy', kind: SERVER, fromMs: 0, toMs: 80 },
    catalogLookup(guard, root, 10, 60, { 'resilience.retry.attempt': 0, 'resilience.circuit_breaker.state': 'closed', 'resilience.fallback.used': false }),
    { id: attempt, parent: guard, service: 'kiosk', name: 'GET', kind: CLIENT, fromMs: 12, toMs: 52 },
    { id: server, parent: attempt, service: 'catalog', name: 'GET /items', kind: SERVER, fromMs: 14, toMs: 50 },
  ]);
}

/**
 * The same checkout degraded: 30 ms queued in the bulkhead, two attempts that run into the 100 ms
 * timeout, then the breaker (opened meanwhile) refuses the third and the fallback answers.
 */
function degraded(traceId: string, startMs: number) {
  const [root, guard, first, second, server] = [hex(8), hex(8), hex(8), hex(8), hex(8)];
  return traceBody(traceId, startMs, [
    { id: root, service: 'kiosk', name: 'POST /buy', kind: SERVER, fromMs: 0, toMs: 600 },
    catalogLookup(guard, root, 10, 560, {
      'resilience.bulkhead.limit': 2,
      'resilience.bulkhead.queue': 4,
      'resilience.bulkhead.queue_wait_ms': 30,
      'resilience.retry.attempt': 2,
      'resilience.circuit_breaker.state': 'open',
      'resilience.fallback.used': true,
    }),
    { id: first, parent: guard, service: 'kiosk', name: 'GET', kind: CLIENT, fromMs: 40, toMs: 140 },
    { id: server, parent: first, service: 'catalog', name: 'GET /items', kind: SERVER, fromMs: 42, toMs: 400 },
    { id: second, parent: guard, service: 'kiosk', name: 'GET', kind: CLIENT, fromMs: 200, toMs: 300, attrs: { 'http.request.resend_count': 1 } },
  ]);
}

test('the waterfall groups a guarded call’s attempts, draws its deadlines, and gives the refused attempt its own row', async ({ page }, testInfo) => {
  const { uiUrl } = e2eStack();
  const traceId = hex(16);
  await send(degraded(traceId, Date.now() - 20_000));

  await page.goto(`${uiUrl}/traces/${traceId}`);
  await expect(page.getByTestId('span-count')).toHaveText('5 spans', { timeout: 30_000 });
  await expect(page.getByTestId('attempt-mark')).toHaveText(['attempt 1/3', 'attempt 2/3']);
  await expect(page.getByTestId('attempt-mark').first()).toHaveClass(/timed-out/);
  const rejected = page.getByTestId('rejected-row');
  await expect(rejected).toHaveCount(1);
  await expect(rejected).toContainText('attempt 3/3');
  await expect(rejected).toContainText('rejected by kiosk->catalog');
  const guard = page.locator('[data-testid="span-row"][data-guarded]');
  await expect(guard.getByTestId('fallback-badge')).toBeVisible();
  await expect(guard.getByTestId('deadline-marker')).toHaveCount(2);
  await expect(guard.locator('.queue-wait')).toHaveCount(1);
  await expect(guard.locator('.backoff-gap')).toHaveCount(2);
  // Rows in order: the refused attempt closes the guarded call's subtree, after the retries.
  const names = await page.locator('[data-testid="span-row"] .span-name, [data-testid="rejected-row"] .rejected-label').allTextContents();
  expect(names).toEqual(['POST /buy', 'catalog lookup', 'GET', 'GET /items', 'GET', 'rejected by kiosk->catalog']);
  await saveScreenshot(page, testInfo, 'waterfall-resilience');

  // The refused attempt's row opens the guarded call it belongs to.
  await rejected.click();
  await expect(page.getByTestId('span-detail')).toContainText('catalog lookup');
});

test('two checkouts ticked in the trace search compare span by span, with the degraded one’s extra retry and its fallback', async ({ page }, testInfo) => {
  const { uiUrl } = e2eStack();
  const [good, bad] = [hex(16), hex(16)];
  await send(healthy(good, Date.now() - 40_000));
  await send(degraded(bad, Date.now() - 30_000));

  await page.goto(`${uiUrl}/traces?range=15m&service=kiosk`);
  await expect(page.getByLabel(`Compare ${good}`)).toBeVisible({ timeout: 30_000 });
  await page.getByLabel(`Compare ${good}`).check();
  await page.getByLabel(`Compare ${bad}`).check();
  await page.getByTestId('compare-link').click();
  await expect(page).toHaveURL(new RegExp(`/traces/compare\\?a=${good}&b=${bad}$`));

  await expect(page.getByTestId('compare-counts')).toHaveText('4 matched, 0 only in A, 1 only in B', { timeout: 30_000 });
  const extra = page.locator('[data-testid="compare-row"][data-presence="only-b"]');
  await expect(extra).toHaveCount(1);
  await expect(extra).toContainText('extra in B');
  await expect(extra).toContainText('retry 2/3');
  const lookup = page.getByTestId('compare-row').filter({ hasText: 'catalog lookup' });
  await expect(lookup).toContainText('fallback');
  await expect(lookup).toContainText('rejected by kiosk->catalog');
  await expect(lookup).toContainText('+500 ms');
  await saveScreenshot(page, testInfo, 'trace-compare');
});

test('an edge whose caller gives up too early carries a findings badge on the service map', async ({ page }, testInfo) => {
  const { uiUrl } = e2eStack();
  // 25 calls from `till` to `ledger` with a 100 ms timeout, each of which ledger takes 300 ms to answer.
  const start = Date.now() - 60_000;
  for (let i = 0; i < 25; i++) {
    const [guard, client, server] = [hex(8), hex(8), hex(8)];
    await send(
      traceBody(hex(16), start + i * 1_000, [
        {
          id: guard,
          service: 'till',
          name: 'ledger post',
          kind: INTERNAL,
          fromMs: 0,
          toMs: 300,
          attrs: { 'peer.service': 'ledger', 'resilience.circuit_breaker.name': 'till->ledger', 'resilience.timeout.ms': 100, 'resilience.retry.attempt': 0 },
        },
        { id: client, parent: guard, service: 'till', name: 'POST', kind: CLIENT, fromMs: 0, toMs: 300, attrs: { 'peer.service': 'ledger' } },
        { id: server, parent: client, service: 'ledger', name: 'POST /entries', kind: SERVER, fromMs: 0, toMs: 300 },
      ]),
    );
  }

  await page.goto(`${uiUrl}/map?range=15m`);
  const badge = page.locator('[data-testid="map-finding"][data-source="till"][data-target="ledger"]');
  await expect(badge).toBeAttached({ timeout: 60_000 });
  await expect(badge).toHaveAttribute('data-severity', 'critical');
  await expect(badge.locator('title')).toHaveText(/timeout inversion/);
  await saveScreenshot(page, testInfo, 'service-map-finding');
  await badge.click();
  await expect(page).toHaveURL(/\/findings\?range=15m/);
  await expect(page.locator('[data-testid="finding"][data-kind="timeout_inversion"]', { hasText: 'till → ledger' })).toBeVisible({ timeout: 30_000 });
});

test('a demo breaker’s tile says what it is configured to do, read from its guarded calls’ spans', async ({ page }) => {
  const { uiUrl } = e2eStack();
  await page.goto(`${uiUrl}/breakers?range=15m&refresh=5s`);
  // demo-services/payment/index.ts: 5 consecutive failures, 5000 ms half-open.
  const tile = page.locator('[data-testid="breaker-tile"][data-breaker="payment->payment-provider"]');
  await expect(tile.getByTestId('breaker-settings')).toHaveText('Configured: trips after 5 consecutive failures, half-open after 5 s', { timeout: 90_000 });
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { setPaymentProviderFailure } from './paymentFault';
import { e2eStack, saveScreenshot } from './stackEnv';

test.afterEach(async () => {
  await setPaymentProviderFailure(0);
});

test('switching paymentProviderFailure on makes the checkout availability SLO’s alert fire and show in the UI', async ({ page }, testInfo) => {
  const { uiUrl } = e2eStack();
  const probe = await fetch(`${uiUrl}/api/slos`);
  // 503 means the stack runs no SLO evaluator (startSloEvaluator in server/stack.ts): a failure, not a skip.
  expect(probe.status, 'GET /api/slos').toBe(200);

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

test('an SLO is added through the form, listed with its SLI, edited, refused with the field named, and deleted', async ({ page }, testInfo) => {
  const { uiUrl } = e2eStack();
  await page.goto(`${uiUrl}/slos`);
  await page.getByRole('button', { name: 'New SLO' }).click();
  const form = page.getByRole('form', { name: 'New SLO' });
  await form.getByLabel('ID').fill('gateway-fast');
  await form.getByLabel('Name').fill('Gateway answers within 1 s');
  const service = form.getByLabel('Service');
  await expect(service.locator('option', { hasText: /^gateway$/ })).toBeAttached();
  await service.selectOption('gateway');
  await form.getByLabel('Objective').selectOption('latency');
  await form.getByLabel('Latency threshold').selectOption({ label: '1 s' });
  await form.getByLabel('Target (%)').fill('99');
  await form.getByLabel('Window', { exact: true }).fill('7');
  await form.getByRole('button', { name: 'Add SLO' }).click();

  await expect(form).toBeHidden();
  const row = page.locator('[data-testid="slo-row"][data-slo="gateway-fast"]');
  await expect(row).toContainText('Gateway answers within 1 s');
  await expect(row).toContainText('99% of requests finish within 1000 ms, over 7d');
  // The gateway's requests of the last minutes are counted as soon as the SLO is saved.
  await expect(row.getByTestId('slo-row-sli')).toHaveText(/^\d{1,3}\.\d{3}%$/);
  await saveScreenshot(page, testInfo, 'slo-added');

  await row.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('form', { name: 'Edit SLO gateway-fast' });
  await expect(edit.getByLabel('ID')).toHaveValue('gateway-fast');
  await expect(edit.getByLabel('Latency threshold')).toHaveValue('1000');
  await edit.getByLabel('Target (%)').fill('100');
  await edit.getByRole('button', { name: 'Save SLO' }).click();
  const targetError = edit.locator('[data-testid="field-error"][data-field="target"]');
  await expect(targetError).toHaveText('must be below 100');
  await expect(edit.getByLabel('Target (%)')).toHaveAttribute('aria-invalid', 'true');
  await expect(edit.locator('[data-testid="field-error"]')).toHaveCount(1);
  await saveScreenshot(page, testInfo, 'slo-form-refused');

  await edit.getByLabel('Target (%)').fill('99.5');
  await edit.getByRole('button', { name: 'Save SLO' }).click();
  await expect(edit).toBeHidden();
  await expect(row).toContainText('99.5% of requests finish within 1000 ms, over 7d');

  // The SLO's own page edits it too.
  await row.getByRole('link', { name: 'Gateway answers within 1 s' }).click();
  await expect(page).toHaveURL(/\/slos\/gateway-fast/);
  await page.getByRole('button', { name: 'Edit this SLO' }).click();
  const editOnDetail = page.getByRole('form', { name: 'Edit SLO gateway-fast' });
  await editOnDetail.getByLabel('Target (%)').fill('99.9');
  await editOnDetail.getByRole('button', { name: 'Save SLO' }).click();
  await expect(editOnDetail).toBeHidden();
  await expect(page.getByText('gateway: 99.9% of requests finish within 1000 ms, over 7d')).toBeVisible();
  await page.getByRole('link', { name: 'SLOs' }).first().click();
  await expect(row).toContainText('99.9% of requests finish within 1000 ms, over 7d');

  await row.getByRole('button', { name: 'Delete' }).click();
  await row.getByRole('button', { name: 'Delete gateway-fast' }).click();
  await expect(row).toHaveCount(0);
  await expect(page.locator('[data-testid="slo-row"][data-slo="checkout-availability"]')).toBeVisible();
});

test('an alert webhook is added through the form, refused first for a URL that is not http, and removed', async ({ page }, testInfo) => {
  const { uiUrl } = e2eStack();
  await page.goto(`${uiUrl}/slos`);
  await page.getByText('Alert webhooks (0)').click();
  const form = page.getByRole('form', { name: 'Alert webhooks' });
  await form.getByRole('button', { name: 'Add webhook' }).click();
  await form.getByLabel('Webhook 1 URL').fill('ftp://hooks.example/faultline');
  await form.getByLabel('Headers').fill('authorization: Bearer e2e');
  await form.getByRole('button', { name: 'Save webhooks' }).click();
  await expect(form.locator('[data-testid="field-error"][data-field="webhooks[0].url"]')).toHaveText('must be an http or https URL');
  await saveScreenshot(page, testInfo, 'slo-webhook-refused');

  // Port 9 (discard): nothing listens, and no alert fires while this test runs.
  await form.getByLabel('Webhook 1 URL').fill('http://127.0.0.1:9/faultline');
  await form.getByRole('button', { name: 'Save webhooks' }).click();
  await expect(page.getByText('Alert webhooks (1)')).toBeVisible();
  await expect(page.getByText('· 1 webhook ·')).toBeVisible();

  await form.getByRole('button', { name: 'Remove' }).click();
  await form.getByRole('button', { name: 'Save webhooks' }).click();
  await expect(page.getByText('Alert webhooks (0)')).toBeVisible();
});

test('a YAML edit begun before the file changed is refused rather than saved over the change, and can be discarded', async ({ page, request }) => {
  const { uiUrl } = e2eStack();
  await page.goto(`${uiUrl}/slos`);
  await page.getByText('Advanced: edit').click();
  const yaml = page.getByLabel('SLO definitions (YAML)');
  await expect(yaml).toContainText('checkout-availability');
  await yaml.fill(`${await yaml.inputValue()}\n# a note typed before the other change\n`);

  // Meanwhile an SLO is added elsewhere (another tab, the API).
  const added = await request.post(`${uiUrl}/api/slos`, {
    data: { id: 'added-meanwhile', service: 'gateway', objective: 'availability', target: 99, window: '1d' },
  });
  expect(added.status()).toBe(200);

  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText(/has changed since this text was loaded/)).toBeVisible();
  await page.getByRole('button', { name: 'Discard my edit and reload the file' }).click();
  await expect(yaml).toContainText('added-meanwhile');
  await expect(yaml).not.toContainText('a note typed before');

  expect((await request.delete(`${uiUrl}/api/slos/added-meanwhile`)).status()).toBe(200);
});

test('a page of another site cannot change the SLOs through the visitor’s browser; the dashboard’s own page can', async ({ page, request }) => {
  const { uiUrl } = e2eStack();
  // Another site: a blank page from a server of its own (the dashboard's own pages carry a CSP that
  // would stop their fetch before it left the browser).
  const otherSite = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>elsewhere</title>'));
  await new Promise<void>((resolve) => otherSite.listen(0, '127.0.0.1', resolve));
  const slo = (id: string) => JSON.stringify({ id, service: 'gateway', objective: 'availability', target: 99, window: '1d' });
  const post = (body: string) =>
    page.evaluate(
      async ({ url, body }) => {
        // A plain-text POST needs no preflight: the browser sends it whatever the server's CORS answer.
        const response = await fetch(url, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body });
        return response.type === 'opaque' ? 'opaque' : response.status;
      },
      { url: `${uiUrl}/api/slos`, body },
    );
  const listed = async () => ((await (await request.get(`${uiUrl}/api/slos`)).json()) as { slos: { slo: { id: string } }[] }).slos.map(({ slo }) => slo.id);

  try {
    await page.goto(`http://127.0.0.1:${(otherSite.address() as AddressInfo).port}/`);
    await post(slo('forged-elsewhere'));
    expect(await listed()).not.toContain('forged-elsewhere');
  } finally {
    otherSite.close();
  }

  await page.goto(`${uiUrl}/slos`);
  expect(await post(slo('added-here'))).toBe(200);
  expect(await listed()).toContain('added-here');
  expect((await request.delete(`${uiUrl}/api/slos/added-here`)).status()).toBe(200);
});

import { expect, test, type Locator, type Page } from '@playwright/test';
import { e2eStack } from './stackEnv';

/** What Chromium reports when the Content-Security-Policy blocks something (a script, a style, a frame). */
function cspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

test('signing in through the form shows the services page, without a CSP violation; signing out ends the session', async ({ page }) => {
  const { signInUi } = e2eStack();
  const violations = cspViolations(page);
  await page.goto(`${signInUi.url}/?range=15m`);
  await expect(page).toHaveURL(/\/login\?next=%2F%3Frange%3D15m$/);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong password.');

  await page.getByLabel('Password').fill(signInUi.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${signInUi.url}/?range=15m`);
  await expect.poll(() => page.getByTestId('service-row').count(), { timeout: 90_000 }).toBeGreaterThanOrEqual(1);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(`${signInUi.url}/login`);
  expect((await page.request.get(`${signInUi.url}/api/breakers`)).status()).toBe(401);
  expect(violations).toEqual([]);
});

test('the main pages run under the Content-Security-Policy without a violation', async ({ page }) => {
  const { uiUrl } = e2eStack();
  const violations = cspViolations(page);
  // Each waits for something only the page's own scripts fetch and draw: a blocked script would leave it empty.
  const pages: [string, Locator][] = [
    ['/?range=15m', page.getByTestId('service-row')],
    ['/services/order?range=15m', page.locator('.recharts-surface')],
    ['/traces?range=15m', page.getByTestId('trace-row')],
    ['/breakers?range=15m', page.getByTestId('breaker-tile')],
    ['/logs?range=15m', page.getByTestId('log-line')],
    ['/map?range=15m', page.getByTestId('map-node')],
    ['/slos', page.getByTestId('slo-row')],
  ];
  for (const [path, drawn] of pages) {
    await page.goto(`${uiUrl}${path}`);
    await expect.soft(drawn.first(), `${path} drawn`).toBeVisible({ timeout: 90_000 });
    expect(violations, `Chromium's CSP reports on ${path}`).toEqual([]);
  }
});

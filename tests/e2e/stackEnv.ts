import type { Page, TestInfo } from '@playwright/test';
import type { E2eStack } from './stack';

/** The running stack's URLs, as globalSetup published them. */
export function e2eStack(): E2eStack {
  const text = process.env.E2E_STACK;
  if (!text) throw new Error('E2E_STACK is not set: run the browser tests through `playwright test` (globalSetup starts the stack)');
  return JSON.parse(text) as E2eStack;
}

/** Saves a full-page screenshot under test-results/screenshots/ and attaches it to the report. */
export async function saveScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = `test-results/screenshots/${name}.png`;
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

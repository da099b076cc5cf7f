import { expect } from '@playwright/test';
import { e2eStack } from './stackEnv';

/** Switches the demo payment service's `paymentProviderFailure` flag (0 off, 1 every call fails). */
export async function setPaymentProviderFailure(value: number): Promise<void> {
  const { adminUrls } = e2eStack();
  const response = await fetch(`${adminUrls.payment}/admin/flags`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ flags: { paymentProviderFailure: value } }),
  });
  expect(response.ok, `setting paymentProviderFailure=${value}: HTTP ${response.status}`).toBe(true);
}

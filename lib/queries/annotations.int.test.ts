import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFaultline, type TestFaultline } from '@/tests/support/faultline';
import { annotationsInput, listAnnotations } from './annotations';

let faultline: TestFaultline;
const base = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;

/** Log records as the demo's pino lines reach the collector (`/v1/logs/json`). */
const line = (offsetMs: number, service: string, msg: string, fields: Record<string, string> = {}) =>
  JSON.stringify({ level: 30, time: base + offsetMs, service_name: service, msg, ...fields });

beforeAll(async () => {
  faultline = await startTestFaultline();
  const body = [
    line(-120_000, 'inventory', 'fault flag changed', { 'faultline.annotation': 'inventoryFailure 25% for 60 s' }),
    line(5_000, 'payment', 'fault flag changed', { 'faultline.annotation': 'paymentProviderFailure off' }),
    line(1_000, 'inventory', 'fault flag changed', { 'faultline.annotation': 'inventoryFailure on' }),
    line(2_000, 'inventory', 'request completed', { route: '/availability' }),
  ].join('\n');
  const response = await fetch(`${faultline.otlpEndpoint}/v1/logs/json`, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson' } });
  expect(response.status, await response.text()).toBe(200);
});

afterAll(async () => {
  await faultline?.stop();
});

describe('listAnnotations', () => {
  it('answers the annotated log records of the range, the earliest first, and nothing else', async () => {
    const input = annotationsInput.parse({ from: String(base - 60_000), to: String(base + 60_000) });
    expect(await listAnnotations(faultline.store, input)).toEqual({
      annotations: [
        { timeMs: base + 1_000, service: 'inventory', text: 'inventoryFailure on' },
        { timeMs: base + 5_000, service: 'payment', text: 'paymentProviderFailure off' },
      ],
    });
  });

  it('answers none for a range without annotations', async () => {
    expect(await listAnnotations(faultline.store, { from: base + 10_000, to: base + 60_000 })).toEqual({ annotations: [] });
  });
});

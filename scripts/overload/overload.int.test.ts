import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestFaultline, type TestFaultline } from '../../tests/support/faultline';
import { countSpans } from '../bench/collectorProcess';
import { generateRequests } from '../bench/spanGenerator';
import { sendLoad } from './sendLoad';

const spansPerRequest = 200;
let faultline: TestFaultline;

beforeAll(async () => {
  // A 4 MiB in-flight limit and batches held 200 ms: 32 senders of ~80 KB bodies (3× each counted) pass it at once.
  faultline = await startTestFaultline({ FAULTLINE_MAX_INFLIGHT_BYTES: String(4 * 1024 * 1024), FAULTLINE_BATCH_MAX_DELAY_MS: '200' });
});
afterAll(async () => {
  await faultline.stop();
});

it('under more load than it holds, refuses the excess with 429 and Retry-After, and stores every acknowledged span', async () => {
  const tally = await sendLoad({
    url: `${faultline.otlpEndpoint}/v1/traces`,
    bodies: generateRequests(16, spansPerRequest),
    spansPerRequest,
    senders: 32,
    seconds: 3,
  });
  expect(tally.unanswered).toBe(0);
  expect(Object.keys(tally.statuses).sort()).toEqual(['200', '429']);
  expect(tally.tooManyRequests).toBeGreaterThan(0);
  expect(tally.tooManyWithRetryAfter).toBe(tally.tooManyRequests);
  expect(tally.acknowledgedSpans).toBeGreaterThan(0);
  // Saturated, a query reads what has been moved out of staging (lib/clickhouse/spanStaging.ts): count once the mover has caught up.
  await faultline.store.caughtUp();
  expect(await countSpans(faultline.store.client)).toBe(tally.acknowledgedSpans);
});

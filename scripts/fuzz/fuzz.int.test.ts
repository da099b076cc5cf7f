import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestFaultline, type TestFaultline } from '../../tests/support/faultline';
import { fuzzCollectorEnv, fuzzMaxBodyBytes } from './fuzzCollector';
import { runFuzz } from './runFuzz';

let faultline: TestFaultline;

beforeAll(async () => {
  faultline = await startTestFaultline(fuzzCollectorEnv);
});
afterAll(async () => {
  await faultline.stop();
});

// CI's share of `npm run fuzz`: a fixed seed and a short count; the script runs long on demand.
it('answers 200 generated and mutated bodies without a crash, a hang or a 5xx but 503, and stores every acknowledged valid item', { timeout: 120_000 }, async () => {
  const summary = await runFuzz(faultline, { seed: 15, count: 200, maxBodyBytes: fuzzMaxBodyBytes, maxRssBytes: 2048 * 1024 * 1024, answerWithinMs: 10_000 });
  expect(summary.failures).toEqual([]);
  expect(summary.requests).toBe(200);
  expect(summary.acknowledgedItems).toBeGreaterThan(80);
  expect(summary.storedItems).toBe(summary.acknowledgedItems);
  // The mutations reach the decoders: bodies are refused as well as accepted, over HTTP and gRPC.
  expect(summary.statuses['otlpHttp 400']).toBeGreaterThan(10);
  expect(summary.statuses['otlpHttp 200']).toBeGreaterThan(10);
  expect(summary.statuses['grpc INVALID_ARGUMENT']).toBeGreaterThan(0);
});

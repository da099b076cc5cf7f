import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultlineConfig } from '../lib/config';
import { startCollector } from './collector';
import { startTestFaultline, type TestFaultline } from '../tests/support/faultline';
import { fetchBody, makeSpans, tracesProtobuf } from '../tests/support/otlpBodies';

let faultline: TestFaultline;

beforeAll(async () => {
  faultline = await startTestFaultline();
});
afterAll(async () => {
  await faultline.stop();
});

/** Each insert writes its rows as one new part (merges are stopped while the test looks). */
async function partsHolding(prefix: string): Promise<number> {
  const [row] = await faultline.query<{ n: number }>(
    'SELECT uniqExact(_part) AS n FROM faultline.otel_traces WHERE startsWith(ServiceName, {prefix:String})',
    { prefix },
  );
  return Number(row!.n);
}

async function spansStored(prefix: string): Promise<number> {
  const [row] = await faultline.query<{ n: number }>('SELECT count() AS n FROM faultline.otel_traces WHERE startsWith(ServiceName, {prefix:String})', { prefix });
  return Number(row!.n);
}

/** Runs `test` with otel_traces' merges stopped, so each insert stays one part; stops the collector after. */
async function withMergesStopped(collector: { stop(): Promise<void> }, test: () => Promise<void>): Promise<void> {
  await faultline.store.client.command({ query: 'SYSTEM STOP MERGES faultline.otel_traces' });
  try {
    await test();
  } finally {
    await faultline.store.client.command({ query: 'SYSTEM START MERGES faultline.otel_traces' });
    await collector.stop();
  }
}

/** A collector of its own on the test store, on a free port, with these batch settings. */
const collectorBatching = (batch: Partial<FaultlineConfig['batch']>) =>
  startCollector(faultline.store, { ...faultline.config, otlp: { ...faultline.config.otlp, port: 0 }, batch: { ...faultline.config.batch, ...batch } });

/** Posts `spans` spans of `service` to a collector as one OTLP/HTTP protobuf request. */
const postSpans = (url: string, service: string, spans: number) =>
  fetch(`${url}/v1/traces`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-protobuf' },
    body: fetchBody(tracesProtobuf(makeSpans({ service, spans }))),
  });

describe('batching', () => {
  it('commits concurrent requests together in one insert, and answers each only then', async () => {
    const collector = await collectorBatching({ minRows: 1_000, maxRows: 100_000, maxDelayMs: 60_000, fullRequestRows: 100_000 });
    await withMergesStopped(collector, async () => {
      const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => postSpans(collector.url, `grouped-${i}`, 100)));
      expect(responses.map((response) => response.status)).toEqual(Array(10).fill(200));
      expect(await spansStored('grouped-')).toBe(1_000);
      expect(await partsHolding('grouped-')).toBe(1);
    });
  });

  it('holds a lone small request until it is FAULTLINE_BATCH_MAX_DELAY_MS old, then stores it', async () => {
    const collector = await collectorBatching({ minRows: 100_000, maxDelayMs: 300 });
    try {
      const sentAt = performance.now();
      const response = await postSpans(collector.url, 'lonely', 3);
      expect(response.status).toBe(200);
      // Timers may fire a millisecond early by performance.now()'s clock.
      expect(performance.now() - sentAt).toBeGreaterThanOrEqual(295);
      expect(await spansStored('lonely')).toBe(3);
    } finally {
      await collector.stop();
    }
  });

  it('sends a batch holding a full SDK export after FAULTLINE_BATCH_FULL_REQUEST_DELAY_MS, small requests waiting in it included', async () => {
    // A delay far beyond the test's timeout: only the full request can make this batch go.
    const collector = await collectorBatching({ minRows: 100_000, maxDelayMs: 600_000, fullRequestRows: 100, fullRequestDelayMs: 50 });
    await withMergesStopped(collector, async () => {
      const small = postSpans(collector.url, 'riding-small', 3);
      while (collector.pipeline.inflightBytes === 0) await new Promise((resolve) => setTimeout(resolve, 2));
      const full = postSpans(collector.url, 'riding-full', 100);
      expect([(await small).status, (await full).status]).toEqual([200, 200]);
      expect(await spansStored('riding-')).toBe(103);
      expect(await partsHolding('riding-')).toBe(1);
    });
  });
});

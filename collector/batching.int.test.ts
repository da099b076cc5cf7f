import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { loadConfig, type FaultlineConfig } from '../lib/config';
import { startCollector } from './collector';
import { parseMetricsText, receiverMetricNames } from './receiverMetrics';
import { startTestFaultline, type TestFaultline } from '../tests/support/faultline';
import { fetchBody, makeSpans, tracesProtobuf } from '../tests/support/otlpBodies';

let faultline: TestFaultline;

beforeAll(async () => {
  faultline = await startTestFaultline();
});
afterAll(async () => {
  await faultline.stop();
});

/** The inserts of span rows a collector has committed, as its /metrics counts them. */
async function spanInserts(collector: { url: string }): Promise<number> {
  const metrics = parseMetricsText(await (await fetch(`${collector.url}/metrics`)).text());
  return metrics.get(`${receiverMetricNames.inserts}{table="otel_traces"}`) ?? 0;
}

async function spansStored(prefix: string): Promise<number> {
  const [row] = await faultline.query<{ n: number }>('SELECT count() AS n FROM faultline.otel_traces WHERE startsWith(ServiceName, {prefix:String})', { prefix });
  return Number(row!.n);
}

/** Runs `test`, then stops the collector. */
async function thenStop(collector: { stop(): Promise<void> }, test: () => Promise<void>): Promise<void> {
  try {
    await test();
  } finally {
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
    const collector = await collectorBatching({ minRows: 1_000, maxRows: 100_000, maxDelayMs: 60_000, idleMs: 60_000 });
    await thenStop(collector, async () => {
      const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => postSpans(collector.url, `grouped-${i}`, 100)));
      expect(responses.map((response) => response.status)).toEqual(Array(10).fill(200));
      expect(await spansStored('grouped-')).toBe(1_000);
      expect(await spanInserts(collector)).toBe(1);
    });
  });

  it('holds a lone small request until it is FAULTLINE_BATCH_MAX_DELAY_MS old, then stores it', async () => {
    const collector = await collectorBatching({ minRows: 100_000, maxDelayMs: 300, idleMs: 60_000 });
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

  it('inserts a lone request once no other has arrived for FAULTLINE_BATCH_IDLE_MS', async () => {
    const collector = await collectorBatching({ minRows: 100_000, maxDelayMs: 600_000, idleMs: 100 });
    try {
      const sentAt = performance.now();
      expect((await postSpans(collector.url, 'idle', 3)).status).toBe(200);
      expect(performance.now() - sentAt).toBeGreaterThanOrEqual(95);
      expect(await spansStored('idle')).toBe(3);
    } finally {
      await collector.stop();
    }
  });

  /** Five senders send 10 spans each (one insert, by FAULTLINE_BATCH_MIN_ROWS), then the first `again` of them 4 more each. */
  async function sendTwoRounds(url: string, prefix: string, again: number): Promise<number[]> {
    const statuses = await Promise.all(
      Array.from({ length: 5 }, async (_, i) => {
        const first = await postSpans(url, `${prefix}-${i}`, 10);
        if (i >= again) return [first.status];
        const second = await postSpans(url, `${prefix}-${i}`, 4);
        return [first.status, second.status];
      }),
    );
    return statuses.flat();
  }

  it('sends the requests that came back as soon as they were answered once all of them are back, however few rows they hold', async () => {
    // Every other delay far beyond the test's timeout: the second round goes only because all five came back.
    const collector = await collectorBatching({ minRows: 50, maxDelayMs: 600_000, idleMs: 600_000, returnGapMs: 600_000 });
    await thenStop(collector, async () => {
      expect(await sendTwoRounds(collector.url, 'all-back', 5)).toEqual(Array(10).fill(200));
      expect(await spansStored('all-back-')).toBe(70);
      expect(await spanInserts(collector)).toBe(2);
    });
  });

  it('sends them once at least half came back and no request arrived for FAULTLINE_BATCH_RETURN_GAP_MS', async () => {
    // A wide return window: on a loaded machine a sender's next request can take a while to follow its answer.
    const collector = await collectorBatching({ minRows: 50, maxDelayMs: 600_000, idleMs: 600_000, returnGapMs: 2_000 });
    await thenStop(collector, async () => {
      expect(await sendTwoRounds(collector.url, 'half-back', 3)).toEqual(Array(8).fill(200));
      expect(await spansStored('half-back-')).toBe(62);
      expect(await spanInserts(collector)).toBe(2);
    });
  });
});

/** Exports `spans` with a real OpenTelemetry exporter; resolves with the answer time in ms once it succeeded. */
function exportTimed(exporter: OTLPTraceExporter, spans: ReadableSpan[]): Promise<number> {
  const sentAt = performance.now();
  return new Promise((resolve, reject) =>
    exporter.export(spans, (result) => (result.code === ExportResultCode.SUCCESS ? resolve(performance.now() - sentAt) : reject(result.error ?? new Error('export failed')))),
  );
}

describe('batching with the default settings, as real OpenTelemetry senders see it', () => {
  const defaults = loadConfig({}).batch;

  it('lets 10 exporters sending 200-span requests, each again once answered (an OpenTelemetry Collector agent), reach well beyond the former cap of 1,000 spans/s', async () => {
    const collector = await collectorBatching(defaults);
    try {
      const senders = 10;
      let acknowledged = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: senders }, async (_, i) => {
          const exporter = new OTLPTraceExporter({ url: `${collector.url}/v1/traces` });
          const spans = makeSpans({ service: `agent-${i}`, spans: 200 });
          while (performance.now() - started < 4_000) {
            await exportTimed(exporter, spans);
            acknowledged += spans.length;
          }
          await exporter.shutdown();
        }),
      );
      const spansPerSecond = acknowledged / ((performance.now() - started) / 1000);
      // The former policy held requests of fewer than 512 rows for 2 s: 10 × 200 spans ÷ 2 s = 1,000 spans/s at most.
      expect(spansPerSecond).toBeGreaterThan(2 * 1_000);
      expect(await spansStored('agent-')).toBe(acknowledged);
    } finally {
      await collector.stop();
    }
  });

  it('answers a lone SDK exporting 10 spans now and then well under FAULTLINE_BATCH_MAX_DELAY_MS', async () => {
    const collector = await collectorBatching(defaults);
    try {
      const exporter = new OTLPTraceExporter({ url: `${collector.url}/v1/traces` });
      const answerTimes: number[] = [];
      for (let i = 0; i < 5; i++) {
        answerTimes.push(await exportTimed(exporter, makeSpans({ service: `lone-sdk-${i}`, spans: 10 })));
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      await exporter.shutdown();
      // Generous for a loaded machine (a lone insert alone can take most of a second there); the former policy took ≥ 2 s.
      expect(Math.max(...answerTimes)).toBeLessThan(1_500);
      expect(await spansStored('lone-sdk-')).toBe(50);
    } finally {
      await collector.stop();
    }
  });
});

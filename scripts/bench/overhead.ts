/**
 * `npm run bench:overhead [-- --duration 15s --concurrency 8]`: what OpenTelemetry
 * costs the demo shop. Runs the whole shop twice in one go — telemetry off
 * (`OTEL_SDK_DISABLED=true`), then on, exporting traces, metrics and logs over
 * OTLP/HTTP to a loopback receiver that accepts and drops them — and drives
 * closed-loop checkouts through the gateway for the same time in each. Prints
 * throughput and p50/p99 latency per run and as on/off ratios. Target: telemetry
 * costs less than 10% of checkout throughput.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDuration } from '../../demo-services/loadgen/duration';
import { LoadStats, type LoadSummary } from '../../demo-services/loadgen/stats';
import { startOtlpSink } from '../../demo-services/shared/otlpSink';
import { findFreePorts, startDemo } from '../../demo-services/run';
import { DEMO_CUSTOMER_COUNT, DEMO_PASSWORD, demoCustomerEmail } from '../../demo-services/user/user';

const { values } = parseArgs({
  options: { duration: { type: 'string', default: '15s' }, warmup: { type: 'string', default: '3s' }, concurrency: { type: 'string', default: '8' } },
});
const durationMs = parseDuration(values.duration!);
const warmupMs = parseDuration(values.warmup!);
const concurrency = Number(values.concurrency);
if (!durationMs || warmupMs === undefined || !Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
  console.error('usage: npm run bench:overhead -- [--duration 15s] [--warmup 3s] [--concurrency 8]');
  process.exit(2);
}
const PRODUCTS = ['p-mug', 'p-tea', 'p-filters', 'p-dripper', 'p-espresso', 'p-scale'];

async function signIn(gatewayUrl: string, index: number): Promise<string> {
  const response = await fetch(`${gatewayUrl}/api/signin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: demoCustomerEmail(index % DEMO_CUSTOMER_COUNT), password: DEMO_PASSWORD }),
  });
  if (!response.ok) throw new Error(`sign-in failed with ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/** Each worker checks out, waits for the answer, and checks out again until the time is up. */
async function checkouts(gatewayUrl: string, tokens: string[], forMs: number): Promise<LoadSummary> {
  const stats = new LoadStats();
  const until = performance.now() + forMs;
  await Promise.all(
    tokens.map(async (token, worker) => {
      for (let i = 0; performance.now() < until; i++) {
        const started = performance.now();
        let status = 0;
        try {
          const response = await fetch(`${gatewayUrl}/api/orders`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ items: [{ productId: PRODUCTS[(worker + i) % PRODUCTS.length], quantity: 1 }] }),
          });
          status = response.status;
          await response.arrayBuffer();
        } catch {
          status = 0;
        }
        stats.record('checkout', status, performance.now() - started);
      }
    }),
  );
  return stats.summary();
}

async function measure(label: string, otlpEndpoint: string, env: Record<string, string>): Promise<LoadSummary> {
  const dataDir = mkdtempSync(join(tmpdir(), `faultline-bench-${label}-`));
  process.stdout.write(`${label}: starting the shop… `);
  const demo = await startDemo({ otlpEndpoint, dataDir, ports: await findFreePorts(), env: { LOG_LEVEL: 'info', ...env } });
  try {
    const tokens = await Promise.all(Array.from({ length: concurrency }, (_, i) => signIn(demo.gatewayUrl, i)));
    process.stdout.write('warming up… ');
    await checkouts(demo.gatewayUrl, tokens, warmupMs!);
    process.stdout.write(`measuring ${values.duration}… `);
    const summary = await checkouts(demo.gatewayUrl, tokens, durationMs!);
    console.log(`${summary.throughputRps.toFixed(1)} checkouts/s, p50 ${summary.p50Ms.toFixed(1)} ms, p99 ${summary.p99Ms.toFixed(1)} ms, ${summary.errors} errors`);
    return summary;
  } finally {
    await demo.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const sink = await startOtlpSink();
try {
  console.log(`Checkout overhead of telemetry: ${concurrency} closed-loop clients, ${values.duration} per run, loopback only.`);
  const off = await measure('telemetry off', sink.endpoint, { OTEL_SDK_DISABLED: 'true' });
  const on = await measure('telemetry on ', sink.endpoint, { OTEL_METRIC_EXPORT_INTERVAL: '3000' });
  const exported = Object.entries(sink.requests).map(([path, count]) => `${path} ${count}`).join(', ');
  const throughputRatio = on.throughputRps / off.throughputRps;
  console.log('');
  console.log(`                 off        on     on/off`);
  console.log(`throughput  ${off.throughputRps.toFixed(1).padStart(8)}  ${on.throughputRps.toFixed(1).padStart(8)}  ${throughputRatio.toFixed(3).padStart(8)}`);
  console.log(`p50 ms      ${off.p50Ms.toFixed(1).padStart(8)}  ${on.p50Ms.toFixed(1).padStart(8)}  ${(on.p50Ms / off.p50Ms).toFixed(3).padStart(8)}`);
  console.log(`p99 ms      ${off.p99Ms.toFixed(1).padStart(8)}  ${on.p99Ms.toFixed(1).padStart(8)}  ${(on.p99Ms / off.p99Ms).toFixed(3).padStart(8)}`);
  console.log(`OTLP requests received while on: ${exported || 'none'}`);
  const cost = (1 - throughputRatio) * 100;
  console.log(`Telemetry costs ${cost.toFixed(1)}% of checkout throughput (target < 10%): ${cost < 10 ? 'met' : 'NOT met'}.`);
} finally {
  await sink.close();
}

/**
 * `npm run soak -- --minutes 30`: issue 15's soak. Runs what `npm start` runs — store, collector,
 * dashboard and the demo shop (`server/stack.ts`), in this process, on free 127.0.0.1 ports over a
 * fresh data directory — with the shop's load at --rps (default 20 customer actions a second, 10×
 * `npm start`'s DEMO_LOAD_RPS of 2). Every --every seconds it prints this process's RSS, the store's
 * size on disk and part count (system.parts), the merges running (system.merges), the spans and
 * log records stored, and the errors seen: failed shop requests and requests the collector refused.
 * The load generator runs in this process too, as `npm start`'s does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findFreePorts } from '../../demo-services/run';
import { runLoad } from '../../demo-services/loadgen/workload';
import { formatSummary, type LoadStats } from '../../demo-services/loadgen/stats';
import { hostedStore } from '../../lib/host';
import { sql } from '../../lib/clickhouse/sql';
import { selectRows, table } from '../../lib/clickhouse/selectRows';
import { parseMetricsText, receiverMetricNames } from '../../collector/receiverMetrics';
import { startStack } from '../../server/stack';
import { ownStackEnv } from '../../tests/support/ownStackEnv';

const { values: args } = parseArgs({
  options: { minutes: { type: 'string', default: '30' }, rps: { type: 'string', default: '20' }, every: { type: 'string', default: '30' } },
});
const durationMs = Number(args.minutes) * 60_000;
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

const dataDir = mkdtempSync(join(tmpdir(), 'faultline-soak-'));
const stack = await startStack({
  env: ownStackEnv(dataDir),
  demo: { loadRps: 0, ports: await findFreePorts() },
}).catch((error: unknown) => {
  rmSync(dataDir, { recursive: true, force: true });
  throw error;
});
const store = hostedStore();
console.log(`soak: ${args.minutes} min at ${args.rps} shop actions/s; dashboard ${stack.uiUrl}, data in ${dataDir}`);
console.log('   min  RSS MiB  store MiB  parts  merges  spans  log records  shop errors/requests  collector refusals');

type StoreFigures = { bytes: number; parts: number; merges: number; spans: number; logs: number };

async function storeFigures(): Promise<StoreFigures> {
  const [figures] = await selectRows<StoreFigures>(
    store,
    sql`SELECT
      (SELECT sum(bytes_on_disk) FROM system.parts WHERE database = ${store.database} AND active) AS bytes,
      (SELECT count() FROM system.parts WHERE database = ${store.database} AND active) AS parts,
      (SELECT count() FROM system.merges WHERE database = ${store.database}) AS merges,
      (SELECT count() FROM ${table(store, 'otel_traces')}) AS spans,
      (SELECT count() FROM ${table(store, 'otel_logs')}) AS logs`,
  );
  return figures!;
}

/** Requests the collector refused whole, from its own counters (`GET /metrics`). */
async function collectorRefusals(): Promise<number> {
  const series = parseMetricsText(await (await fetch(`${stack.otlpEndpoint}/metrics`)).text());
  return [...series]
    .filter(([name]) => name.startsWith(receiverMetricNames.refusedRequests))
    .reduce((sum, [, value]) => sum + value, 0);
}

let maxRss = 0;
async function report(stats: LoadStats, elapsedMs: number): Promise<void> {
  const rss = process.memoryUsage.rss();
  maxRss = Math.max(maxRss, rss);
  const figures = await storeFigures();
  const refusals = await collectorRefusals();
  console.log(
    [
      (elapsedMs / 60_000).toFixed(1).padStart(6),
      mib(rss).padStart(8),
      mib(figures.bytes).padStart(10),
      String(figures.parts).padStart(6),
      String(figures.merges).padStart(7),
      String(figures.spans).padStart(6),
      String(figures.logs).padStart(12),
      `${stats.errorCount}/${stats.requests}`.padStart(20),
      String(refusals).padStart(19),
    ].join(' '),
  );
}

let nextReport = 0;
let reporting = Promise.resolve();
try {
  const summary = await runLoad({
    gatewayUrl: stack.demo!.gatewayUrl,
    rps: Number(args.rps),
    durationMs,
    onProgress: (stats, elapsedMs) => {
      if (elapsedMs < nextReport) return;
      nextReport = elapsedMs + Number(args.every) * 1000;
      reporting = reporting.then(() => report(stats, elapsedMs));
    },
  });
  await reporting;
  console.log(`\nshop load over ${args.minutes} min:\n${formatSummary(summary)}\nmax RSS ${mib(maxRss)} MiB`);
} finally {
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

/**
 * `npm run ui`: the dashboard (and the SLO evaluator it shows) and the Jaeger query API alone, for server mode
 * (`CLICKHOUSE_URL` set) where the collector runs as its own processes. Without `CLICKHOUSE_URL` it
 * opens the embedded store itself, which only works while no other process (such as `npm start`)
 * holds the data directory.
 */
import { openStore } from '@/lib/clickhouse/store';
import { hostStore } from '@/lib/host';
import { loadConfig } from '@/lib/config';
import { startSloEvaluator } from '@/lib/slo/evaluator';
import { stopOnSignals } from './stopOnSignals';
import { startDashboard } from './dashboardServer';
import { startJaegerQuery } from './jaegerServer';
import { ensureDashboardBuild } from './ensureDashboardBuild';

const config = loadConfig();
if (!config.clickhouse.url) {
  console.warn(`CLICKHOUSE_URL is not set: opening the embedded store in ${config.dataDir}; stop \`npm start\` first.`);
}
ensureDashboardBuild();
// Opened here rather than lazily by the first API request, so a bad URL or a failed migration stops
// start-up with its message, and the route code finds the store already shared on globalThis.
const store = await openStore(config, (line) => console.log(`Faultline: ${line}`));
hostStore(store);
const dashboard = await startDashboard(config.ui);
const slo = startSloEvaluator(store, { file: config.slo.file, intervalMs: config.slo.intervalMs, dashboardUrl: dashboard.url });
const jaeger = await startJaegerQuery(store, { ...config.jaeger, auth: config.ui.auth });
console.log(`Faultline dashboard on ${dashboard.url}, Jaeger query API on ${jaeger.url}`);

stopOnSignals(async () => {
  await slo.stop();
  await jaeger.close();
  await dashboard.close();
  await store.close();
});

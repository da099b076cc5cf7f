/**
 * `npm run collector`: the collector alone, for server mode (CLICKHOUSE_URL). On the embedded
 * store use `npm start`, which hosts the collector and the dashboard in one process.
 */
import { openStore } from '../lib/clickhouse/store';
import { loadConfig } from '../lib/config';
import { startCollector } from '../collector/collector';
import { zipkinSpansPath } from '../collector/receivers/zipkinHttp';
import { stopOnSignals } from './stopOnSignals';

const config = loadConfig();
if (!config.clickhouse.url) {
  console.warn('CLICKHOUSE_URL is not set: running on the embedded store in', config.dataDir, '(use `npm start` to get the dashboard too)');
}
const store = await openStore(config, (line) => console.log(`Faultline: ${line}`));
const collector = await startCollector(store, config);
console.log(`Faultline collector: send OTLP/HTTP to ${collector.url} (/v1/traces, /v1/logs, /v1/metrics, /v1/logs/json)`);
console.log(`Faultline collector: send OTLP/gRPC to ${collector.grpcUrl}`);
console.log(`Faultline collector: send Zipkin v2 spans (JSON or protobuf) to ${collector.zipkinUrl}${zipkinSpansPath}`);
stopOnSignals(async () => {
  await collector.stop();
  await store.close();
});

/**
 * The whole embedded stack in this process: one chDB store shared by the collector, the
 * dashboard, the Jaeger query API and the SLO evaluator (only one process may open the data directory), plus the demo
 * shop as child processes sending telemetry to the collector. `npm start` and the browser tests
 * use it.
 */
import { join } from 'node:path';
import { startCollector } from '../collector/collector';
import { zipkinSpansPath } from '../collector/receivers/zipkinHttp';
import { startDemo, type RunningDemo } from '../demo-services/run';
import type { OtlpProtocol } from '../demo-services/shared/config';
import { openStore } from '../lib/clickhouse/store';
import { loadConfig, type FaultlineConfig } from '../lib/config';
import { hostOtlpPort, hostStore } from '../lib/host';
import { startSloEvaluator } from '../lib/slo/evaluator';
import { startDashboard } from './dashboardServer';
import { startJaegerQuery } from './jaegerServer';

export type StackOptions = {
  /** Overrides of the environment's configuration (FAULTLINE_DATA_DIR, ports…). */
  env?: Record<string, string>;
  /** Start the demo shop too; with `loadRps` > 0, a gentle load through its gateway. */
  demo?: { loadRps: number; env?: Record<string, string>; ports?: Parameters<typeof startDemo>[0]['ports']; protocol?: OtlpProtocol } | false;
};

export type RunningStack = {
  config: FaultlineConfig;
  uiUrl: string;
  otlpEndpoint: string;
  otlpGrpcEndpoint: string;
  /** Where Zipkin-instrumented services send spans (`…/api/v2/spans`). */
  zipkinEndpoint: string;
  /** Jaeger's HTTP JSON query API over the same store. */
  jaegerUrl: string;
  demo?: RunningDemo;
  stop(): Promise<void>;
};

export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const config = loadConfig({ ...process.env, ...options.env });
  const store = await openStore(config, (line) => console.log(`Faultline: ${line}`));
  hostStore(store);
  const stops: (() => Promise<void>)[] = [() => store.close()];
  const stop = async () => {
    for (const step of stops.splice(0).reverse()) await step();
  };
  try {
    const collector = await startCollector(store, config);
    stops.push(() => collector.stop());
    hostOtlpPort(Number(new URL(collector.url).port));
    const dashboard = await startDashboard(config.ui);
    stops.push(() => dashboard.close());
    const jaeger = await startJaegerQuery(store, config.jaeger);
    stops.push(() => jaeger.close());
    // In the dashboard's process: its API reads the evaluator's state from there.
    const slo = startSloEvaluator(store, { file: config.slo.file, intervalMs: config.slo.intervalMs, dashboardUrl: dashboard.url });
    stops.push(() => slo.stop());
    let demo: RunningDemo | undefined;
    if (options.demo) {
      const protocol = options.demo.protocol ?? 'http/protobuf';
      demo = await startDemo({
        otlpEndpoint: protocol === 'grpc' ? collector.grpcUrl : collector.url,
        otlpProtocol: protocol,
        dataDir: join(config.dataDir, 'demo'),
        load: options.demo.loadRps > 0 ? { rps: options.demo.loadRps } : false,
        env: options.demo.env,
        ports: options.demo.ports,
      });
      stops.push(() => demo!.stop());
    }
    return { config, uiUrl: dashboard.url, otlpEndpoint: collector.url, otlpGrpcEndpoint: collector.grpcUrl, zipkinEndpoint: `${collector.zipkinUrl}${zipkinSpansPath}`, jaegerUrl: jaeger.url, demo, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

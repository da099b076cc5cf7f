/**
 * The whole demo shop as child processes: the MQTT broker, then the six
 * services, each waited for (`GET /health`), plus an optional gentle load.
 * `startDemo` is the programmatic API (server/start.ts and the browser tests
 * use it); run directly (`npm run demo`) it is a thin CLI over it.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DEFAULT_PORTS, PORT_ENV, SERVICE_NAMES, loadDemoConfig, type DemoPorts, type OtlpProtocol, type ServiceName } from './shared/config';
import { freePort, spawnDemoProcess, waitForHealth, waitForPort, type DemoProcess } from './launcher';
import { runLoad } from './loadgen/workload';

export interface StartDemoOptions {
  /** Where the services send OTLP, e.g. http://127.0.0.1:4318 (OTLP/HTTP) or http://127.0.0.1:4317 (gRPC). */
  otlpEndpoint: string;
  /** How they send it; OTLP/HTTP protobuf unless told. */
  otlpProtocol?: OtlpProtocol;
  /** SQLite files and process logs go here. */
  dataDir: string;
  /** Defaults to the standard ports (broker 1883, gateway 7000 … notification 7005). */
  ports?: Partial<DemoPorts>;
  /** A background load through the gateway; off by default. */
  load?: { rps: number } | false;
  /** Extra environment for every process, e.g. `{ OTEL_SDK_DISABLED: 'true' }` or `{ OTEL_METRIC_EXPORT_INTERVAL: '1000' }`. */
  env?: Record<string, string>;
}

export interface RunningDemo {
  gatewayUrl: string;
  brokerUrl: string;
  /** Base URL of each service; `POST <url>/admin/flags` sets fault flags there. */
  adminUrls: Record<ServiceName, string>;
  ports: DemoPorts;
  /** Stops one service (SIGTERM), leaving the rest running. */
  stopService(name: ServiceName): Promise<void>;
  /** Starts a stopped service again with the same configuration, once healthy. */
  startService(name: ServiceName): Promise<void>;
  /** Process id of each running process (broker included), e.g. to read its CPU time. */
  pids(): Record<string, number>;
  /** Stops the load, every service, then the broker. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

/** Free ports for every process, for tests and side-by-side runs. */
export async function findFreePorts(): Promise<DemoPorts> {
  const entries = await Promise.all(Object.keys(DEFAULT_PORTS).map(async (name) => [name, await freePort()] as const));
  return Object.fromEntries(entries) as DemoPorts;
}

export async function startDemo(options: StartDemoOptions): Promise<RunningDemo> {
  const ports: DemoPorts = { ...DEFAULT_PORTS, ...options.ports };
  const dataDir = resolve(options.dataDir);
  const logDir = resolve(dataDir, 'logs');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...Object.fromEntries(Object.entries(PORT_ENV).map(([name, variable]) => [variable, String(ports[name as keyof DemoPorts])])),
    DEMO_HOST: HOST,
    DEMO_DATA_DIR: dataDir,
    OTEL_EXPORTER_OTLP_ENDPOINT: options.otlpEndpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: options.otlpProtocol ?? 'http/protobuf',
    ...options.env,
  };
  const urls = Object.fromEntries(SERVICE_NAMES.map((name) => [name, `http://${HOST}:${ports[name]}`])) as Record<ServiceName, string>;
  const processes = new Map<string, DemoProcess>();

  const startService = async (name: ServiceName) => {
    const child = spawnDemoProcess(name, env, logDir);
    processes.set(name, child);
    await waitForHealth(child, urls[name]);
  };
  const stopAll = async () => {
    await Promise.all(SERVICE_NAMES.map((name) => processes.get(name)?.stop()));
    await processes.get('broker')?.stop();
  };

  try {
    const broker = spawnDemoProcess('broker', env, logDir);
    processes.set('broker', broker);
    await waitForPort(broker, HOST, ports.broker);
    await Promise.all(SERVICE_NAMES.map(startService));
  } catch (error) {
    await stopAll();
    throw error;
  }

  const loadController = new AbortController();
  const load =
    options.load &&
    runLoad({ gatewayUrl: urls.gateway, rps: options.load.rps, durationMs: Number.POSITIVE_INFINITY, signal: loadController.signal });

  return {
    gatewayUrl: urls.gateway,
    brokerUrl: `mqtt://${HOST}:${ports.broker}`,
    adminUrls: urls,
    ports,
    stopService: async (name) => processes.get(name)?.stop(),
    startService,
    pids: () =>
      Object.fromEntries(
        [...processes].flatMap(([name, child]) => (child.child.pid !== undefined && child.child.exitCode === null ? [[name, child.child.pid]] : [])),
      ),
    async stop() {
      loadController.abort();
      await load;
      await stopAll();
    },
  };
}

async function main() {
  const config = loadDemoConfig();
  const load = z.coerce.number().min(0).max(1000).default(2).safeParse(process.env.DEMO_LOAD_RPS);
  if (!load.success) throw new Error(`DEMO_LOAD_RPS must be a number of requests per second, 0 to 1000 (got "${process.env.DEMO_LOAD_RPS}").`);
  const rps = load.data;
  console.log('Starting the demo shop (broker + 6 services)…');
  const demo = await startDemo({
    otlpEndpoint: config.otlpEndpoint,
    otlpProtocol: config.otlpProtocol,
    dataDir: config.dataDir,
    ports: config.ports,
    load: rps > 0 ? { rps } : false,
  });
  console.log(`Shop ready: ${demo.gatewayUrl}/api/products  (logs in ${resolve(config.dataDir, 'logs')})`);
  console.log(`Telemetry → ${config.otlpEndpoint}; gentle load ${rps} req/s. Faults: npm run chaos -- paymentProviderFailure 1 --for 60s`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping every demo process…`);
    await demo.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

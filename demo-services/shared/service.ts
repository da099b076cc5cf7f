/**
 * Start-up and shutdown shared by every demo service: configuration from env,
 * telemetry, logger, fault flags, the HTTP server with `/health` and
 * `/admin/flags`, and a clean stop on SIGTERM/SIGINT (HTTP, then the service's
 * own resources, then a final telemetry flush).
 */
import type { Meter, Tracer } from '@opentelemetry/api';
import { loadDemoConfig, type DemoConfig, type ServiceName } from './config';
import { FaultFlags, annotationText, flagOwner, parseFlagUpdate } from './faultFlags';
import { closeServer, createHttpServer, listen, type Route } from './httpServer';
import { createLogger, type Logger } from './logger';
import { GuardedDependency, type GuardConfig } from './resilience';
import { stopOnSignals } from './lifecycle';
import { logSdkProblems, startTelemetry, type Telemetry } from './telemetry';

export const DEMO_VERSION = '0.1.0';

export interface ServiceContext {
  name: ServiceName;
  config: DemoConfig;
  tracer: Tracer;
  meter: Meter;
  logger: Logger;
  flags: FaultFlags;
  /** A resilience-guarded dependency of this service (`<service>-><dependency>`). */
  guard(config: Omit<GuardConfig, 'service'>): GuardedDependency;
}

export interface ServiceParts {
  routes: Route[];
  /** Releases what the service opened (bus, database), after HTTP has stopped. */
  close?(): Promise<void>;
}

function adminRoutes(flags: FaultFlags): Route[] {
  return [
    { method: 'GET', path: '/health', handler: () => ({ body: { status: 'ok' } }) },
    { method: 'GET', path: '/admin/flags', handler: () => ({ body: { flags: flags.snapshot() } }) },
    {
      method: 'POST',
      path: '/admin/flags',
      handler: ({ body }) => {
        flags.apply(parseFlagUpdate(body));
        return { body: { flags: flags.snapshot() } };
      },
    },
  ];
}

export async function runService(name: ServiceName, build: (context: ServiceContext) => Promise<ServiceParts>): Promise<void> {
  const config = loadDemoConfig();
  const telemetry = startTelemetry({
    serviceName: name,
    serviceVersion: DEMO_VERSION,
    environment: config.environment,
    endpoint: config.otlpEndpoint,
    protocol: config.otlpProtocol,
    metricIntervalMs: config.metricIntervalMs,
    enabled: config.telemetryEnabled,
  });
  const logger = createLogger({ serviceName: name, level: config.logLevel, loggerProvider: telemetry.loggerProvider });
  if (config.telemetryEnabled) logSdkProblems(logger);
  // The flag's own service records the change (every service gets every flag from `npm run chaos`).
  const flags = new FaultFlags(Math.random, (flag, value, forSeconds) => {
    if (flagOwner(flag) === name) logger.info({ 'faultline.annotation': annotationText(flag, value, forSeconds), flag, value }, 'fault flag changed');
  });
  const context: ServiceContext = {
    name,
    config,
    tracer: telemetry.tracer,
    meter: telemetry.meter,
    logger,
    flags,
    guard: (guardConfig) => new GuardedDependency({ ...guardConfig, service: name }, { tracer: telemetry.tracer, meter: telemetry.meter, logger }),
  };

  let parts: ServiceParts;
  try {
    parts = await build(context);
  } catch (error) {
    logger.fatal({ err: error }, 'service failed to start');
    await flushTelemetry(telemetry, logger);
    process.exit(1);
  }
  const server = createHttpServer([...adminRoutes(flags), ...parts.routes], logger);
  const port = await listen(server, config.ports[name], config.host);
  logger.info({ port }, `${name} listening on http://${config.host}:${port}`);

  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, `${name} stopping`);
    flags.dispose();
    await closeServer(server);
    await parts.close?.();
    await flushTelemetry(telemetry, logger);
    process.exit(0);
  };
  stopOnSignals(stop);
}

/** Flushes and stops the SDK, bounded: with the collector gone, exporters would retry for their whole timeout. */
async function flushTelemetry(telemetry: Telemetry, logger: Logger): Promise<void> {
  const deadline = new Promise((resolve) => setTimeout(resolve, 3000).unref());
  await Promise.race([telemetry.shutdown().catch((error: unknown) => logger.warn({ err: error }, 'telemetry flush failed')), deadline]);
}

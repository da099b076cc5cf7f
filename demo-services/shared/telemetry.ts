/**
 * OpenTelemetry for one demo process: traces, metrics and logs over OTLP/HTTP
 * (protobuf) to `<endpoint>/v1/{traces,metrics,logs}`, or over OTLP/gRPC to
 * `<endpoint>` (OTEL_EXPORTER_OTLP_PROTOCOL=grpc), HTTP auto-instrumentation,
 * and the resource that names the service. With telemetry disabled the API's
 * no-op tracer and meter stand in, so the code paths stay the same, and the
 * context manager is installed alone.
 */
import { createRequire } from 'node:module';
import { context, diag, DiagLogLevel, metrics, trace, type DiagLogFunction, type Meter, type Tracer } from '@opentelemetry/api';
import { logs as logsApi, type LoggerProvider } from '@opentelemetry/api-logs';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPLogExporter as OTLPLogExporterGrpc } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPMetricExporter as OTLPMetricExporterGrpc } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as OTLPTraceExporterGrpc } from '@opentelemetry/exporter-trace-otlp-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
// The SDK's own copies of its parts, so classes match the versions NodeSDK was built with.
import { NodeSDK, logs, metrics as sdkMetrics, resources, tracing } from '@opentelemetry/sdk-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { Logger } from './logger';
import { resendCountAttributes } from './resilience';

export interface TelemetryOptions {
  serviceName: string;
  serviceVersion: string;
  environment: string;
  endpoint: string;
  /** As OTEL_EXPORTER_OTLP_PROTOCOL names it. */
  protocol: OtlpProtocol;
  metricIntervalMs: number;
  enabled: boolean;
}

export interface Telemetry {
  tracer: Tracer;
  meter: Meter;
  loggerProvider?: LoggerProvider;
  shutdown(): Promise<void>;
}

export type OtlpProtocol = 'http/protobuf' | 'grpc';

function otlpExporters(endpoint: string, protocol: OtlpProtocol) {
  if (protocol === 'grpc') {
    return { traces: new OTLPTraceExporterGrpc({ url: endpoint }), metrics: new OTLPMetricExporterGrpc({ url: endpoint }), logs: new OTLPLogExporterGrpc({ url: endpoint }) };
  }
  return {
    traces: new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }),
    metrics: new OTLPMetricExporter({ url: `${endpoint}/v1/metrics` }),
    logs: new OTLPLogExporter({ url: `${endpoint}/v1/logs` }),
  };
}

// Probes and admin calls would drown the interesting spans.
const UNTRACED_PATHS = ['/health', '/admin/'];

export function startTelemetry(options: TelemetryOptions): Telemetry {
  if (!options.enabled) {
    // The request context (requestContext.ts) still needs a context to live in.
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    return {
      tracer: trace.getTracer(options.serviceName),
      meter: metrics.getMeter(options.serviceName),
      shutdown: async () => {},
    };
  }
  const exporters = otlpExporters(options.endpoint, options.protocol);
  const sdk = new NodeSDK({
    resource: resources.resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.serviceName,
      [ATTR_SERVICE_VERSION]: options.serviceVersion,
      'deployment.environment.name': options.environment,
      // The older key, still read by many dashboards and named in our issue.
      'deployment.environment': options.environment,
    }),
    autoDetectResources: false,
    spanProcessors: [
      new tracing.BatchSpanProcessor(exporters.traces, {
        scheduledDelayMillis: 1000,
      }),
    ],
    metricReaders: [
      new sdkMetrics.PeriodicExportingMetricReader({
        exporter: exporters.metrics,
        exportIntervalMillis: options.metricIntervalMs,
        exportTimeoutMillis: Math.min(options.metricIntervalMs, 30_000),
      }),
    ],
    logRecordProcessors: [
      new logs.BatchLogRecordProcessor({
        exporter: exporters.logs,
        scheduledDelayMillis: 1000,
      }),
    ],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.some((path) => req.url?.startsWith(path)),
        startOutgoingSpanHook: resendCountAttributes,
      }),
    ],
  });
  sdk.start();
  // Under ESM nothing require()s `http` after the SDK starts, and the instrumentation
  // patches on require; loading it here patches the shared module object.
  createRequire(import.meta.url)('node:http');
  return {
    tracer: trace.getTracer(options.serviceName, options.serviceVersion),
    meter: metrics.getMeter(options.serviceName, options.serviceVersion),
    loggerProvider: logsApi.getLoggerProvider(),
    shutdown: () => sdk.shutdown(),
  };
}

/**
 * The SDK's own warnings and errors — spans or log records dropped from a full
 * queue, exports that failed — as the service's log lines; unset, the SDK
 * drops them silently.
 */
export function logSdkProblems(logger: Logger): void {
  // The line itself goes through the SDK's log bridge: a problem raised while writing it is not logged again.
  let writing = false;
  const line =
    (level: 'warn' | 'error'): DiagLogFunction =>
    (message, ...args) => {
      if (writing) return;
      writing = true;
      try {
        logger[level]({ otel_sdk: true, ...(args.length > 0 && { details: args.map(describe) }) }, message);
      } finally {
        writing = false;
      }
    };
  const ignore: DiagLogFunction = () => {};
  diag.setLogger({ error: line('error'), warn: line('warn'), info: ignore, debug: ignore, verbose: ignore }, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
}

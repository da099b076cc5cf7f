/**
 * Environment → typed configuration for every demo process, validated once at
 * start-up. A wrong value stops the process with a message naming the variable.
 */
import { z } from 'zod';

export const SERVICE_NAMES = ['gateway', 'order', 'payment', 'user', 'inventory', 'notification'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const DEFAULT_PORTS = {
  broker: 1883,
  gateway: 7000,
  order: 7001,
  payment: 7002,
  user: 7003,
  inventory: 7004,
  notification: 7005,
} as const satisfies Record<ServiceName | 'broker', number>;

export type DemoPorts = Record<keyof typeof DEFAULT_PORTS, number>;
export const OTLP_PROTOCOLS = ['http/protobuf', 'grpc'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

/** The environment variable that sets each port. */
export const PORT_ENV = {
  broker: 'BROKER_PORT',
  gateway: 'GATEWAY_PORT',
  order: 'ORDER_PORT',
  payment: 'PAYMENT_PORT',
  user: 'USER_PORT',
  inventory: 'INVENTORY_PORT',
  notification: 'NOTIFICATION_PORT',
} as const satisfies Record<keyof DemoPorts, string>;

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

const envSchema = z.object({
  BROKER_PORT: port(DEFAULT_PORTS.broker),
  GATEWAY_PORT: port(DEFAULT_PORTS.gateway),
  ORDER_PORT: port(DEFAULT_PORTS.order),
  PAYMENT_PORT: port(DEFAULT_PORTS.payment),
  USER_PORT: port(DEFAULT_PORTS.user),
  INVENTORY_PORT: port(DEFAULT_PORTS.inventory),
  NOTIFICATION_PORT: port(DEFAULT_PORTS.notification),
  DEMO_HOST: z.string().min(1).default('127.0.0.1'),
  DEMO_DATA_DIR: z.string().min(1).default('data/demo'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().default('http://127.0.0.1:4318'),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(OTLP_PROTOCOLS).default('http/protobuf'),
  OTEL_SDK_DISABLED: z.enum(['true', 'false']).default('false'),
  // The SDK default (60 s) is too slow for a live breaker view.
  OTEL_METRIC_EXPORT_INTERVAL: z.coerce.number().int().min(100).default(3000),
  DEPLOYMENT_ENVIRONMENT: z.string().min(1).default('demo'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
});

export interface DemoConfig {
  host: string;
  ports: DemoPorts;
  dataDir: string;
  otlpEndpoint: string;
  otlpProtocol: OtlpProtocol;
  telemetryEnabled: boolean;
  metricIntervalMs: number;
  environment: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
}

export class ConfigError extends Error {
  readonly code = 'FAULTLINE_ERR_CONFIG';
}

export function loadDemoConfig(env: NodeJS.ProcessEnv = process.env): DemoConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid environment: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    host: e.DEMO_HOST,
    ports: {
      broker: e.BROKER_PORT,
      gateway: e.GATEWAY_PORT,
      order: e.ORDER_PORT,
      payment: e.PAYMENT_PORT,
      user: e.USER_PORT,
      inventory: e.INVENTORY_PORT,
      notification: e.NOTIFICATION_PORT,
    },
    dataDir: e.DEMO_DATA_DIR,
    otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, ''),
    otlpProtocol: e.OTEL_EXPORTER_OTLP_PROTOCOL,
    telemetryEnabled: e.OTEL_SDK_DISABLED === 'false',
    metricIntervalMs: e.OTEL_METRIC_EXPORT_INTERVAL,
    environment: e.DEPLOYMENT_ENVIRONMENT,
    logLevel: e.LOG_LEVEL,
  };
}

export function serviceUrl(config: DemoConfig, service: ServiceName): string {
  return `http://${config.host}:${config.ports[service]}`;
}

export function brokerUrl(config: DemoConfig): string {
  return `mqtt://${config.host}:${config.ports.broker}`;
}

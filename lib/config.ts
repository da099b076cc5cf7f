/**
 * Faultline's configuration: every setting comes from an environment variable, parsed and
 * validated here once. A wrong value stops start-up with a message naming the variable.
 */
import { isIP } from 'node:net';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65_535);
const positiveInt = z.coerce.number().int().positive();
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));
/** An IP address or a CIDR block (`10.0.0.0/8`, `fd00::/8`). */
function isAddressOrBlock(text: string): boolean {
  const [address = '', prefix, ...rest] = text.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}
const addressList = optionalText.pipe(
  z
    .string()
    .optional()
    .transform((value) => value?.split(',').map((entry) => entry.trim()).filter(Boolean) ?? [])
    .pipe(z.array(z.string().refine(isAddressOrBlock, 'must be comma-separated IP addresses or CIDR blocks (10.0.0.0/8)'))),
);
const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier (letters, digits, _)');

const envSchema = z.object({
  CLICKHOUSE_URL: optionalText.pipe(z.string().url().optional()),
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
  CLICKHOUSE_DATABASE: identifier.default('faultline'),
  CLICKHOUSE_CLUSTER: optionalText.pipe(identifier.optional()),
  FAULTLINE_DATA_DIR: z.string().min(1).default('./data'),
  FAULTLINE_RETENTION_DAYS: z.coerce.number().int().min(0).default(7),
  FAULTLINE_INGEST_TOKEN: optionalText,
  FAULTLINE_OTLP_HOST: z.string().min(1).default('127.0.0.1'),
  FAULTLINE_OTLP_PORT: port.default(4318),
  FAULTLINE_ZIPKIN_HOST: z.string().min(1).default('127.0.0.1'),
  FAULTLINE_ZIPKIN_PORT: port.default(9411),
  FAULTLINE_OTLP_GRPC_HOST: z.string().min(1).default('127.0.0.1'),
  FAULTLINE_OTLP_GRPC_PORT: port.default(4317),
  FAULTLINE_TLS_CERT_FILE: optionalText,
  FAULTLINE_TLS_KEY_FILE: optionalText,
  FAULTLINE_TLS_CLIENT_CA_FILE: optionalText,
  FAULTLINE_UI_HOST: z.string().min(1).default('127.0.0.1'),
  FAULTLINE_UI_PORT: port.default(3000),
  FAULTLINE_JAEGER_HOST: z.string().min(1).default('127.0.0.1'),
  FAULTLINE_JAEGER_PORT: port.default(16686),
  FAULTLINE_CLICKHOUSE_HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  FAULTLINE_CLICKHOUSE_HTTP_PORT: port.default(8123),
  FAULTLINE_CLICKHOUSE_HTTP_PASSWORD: optionalText,
  FAULTLINE_CLICKHOUSE_HTTP_ADMIN_PASSWORD: optionalText,
  FAULTLINE_CLICKHOUSE_HTTP_MAX_EXECUTION_SECONDS: positiveInt.default(30),
  FAULTLINE_CLICKHOUSE_HTTP_MAX_RESULT_ROWS: positiveInt.default(1_000_000),
  FAULTLINE_CLICKHOUSE_HTTP_MAX_RESULT_BYTES: positiveInt.default(128 * 1024 * 1024),
  FAULTLINE_CLICKHOUSE_HTTP_MAX_MEMORY_BYTES: positiveInt.default(2 * 1024 * 1024 * 1024),
  FAULTLINE_CLICKHOUSE_HTTP_MAX_CONCURRENT_QUERIES: positiveInt.default(2),
  FAULTLINE_CLICKHOUSE_HTTP_MAX_QUEUED_QUERIES: z.coerce.number().int().min(0).default(64),
  FAULTLINE_UI_PASSWORD: optionalText,
  FAULTLINE_UI_TRUSTED_HEADER: optionalText.pipe(z.string().regex(/^[A-Za-z0-9-]+$/, 'must be a header name (X-Forwarded-User)').optional()),
  FAULTLINE_UI_TRUSTED_PROXIES: addressList,
  FAULTLINE_UI_AUTH: optionalText.pipe(z.enum(['none']).optional()),
  FAULTLINE_MAX_BODY_BYTES: positiveInt.default(64 * 1024 * 1024),
  FAULTLINE_MAX_INFLIGHT_BYTES: positiveInt.default(256 * 1024 * 1024),
  FAULTLINE_BATCH_MIN_ROWS: positiveInt.default(20_000),
  FAULTLINE_BATCH_MAX_ROWS: positiveInt.default(100_000),
  FAULTLINE_BATCH_MAX_DELAY_MS: positiveInt.default(2_000),
  FAULTLINE_BATCH_IDLE_MS: positiveInt.default(250),
  FAULTLINE_BATCH_RETURN_GAP_MS: positiveInt.default(20),
  FAULTLINE_BATCH_CONCURRENCY: positiveInt.default(1),
  FAULTLINE_CRASH_DEDUP_SECONDS: z.coerce.number().int().min(0).default(300),
  FAULTLINE_SLO_FILE: z.string().min(1).default('faultline.slo.yaml'),
  FAULTLINE_SLO_INTERVAL_MS: positiveInt.default(30_000),
});

export type FaultlineConfig = {
  clickhouse: { url?: string; user: string; password: string; database: string; cluster?: string };
  dataDir: string;
  retentionDays: number;
  ingestToken?: string;
  /** The Zipkin v2 receiver (same body limit, memory limiter and token as OTLP). */
  zipkin: { host: string; port: number };
  otlp: { host: string; port: number; grpcHost: string; grpcPort: number; maxBodyBytes: number; maxInflightBytes: number };
  /** PEM files that turn on TLS for the receivers; with `clientCaFile`, clients must present a certificate it signed. */
  tls?: TlsFiles;
  batch: {
    minRows: number;
    maxRows: number;
    maxDelayMs: number;
    idleMs: number;
    returnGapMs: number;
    maxConcurrentInserts: number;
  };
  /** After an unclean stop, how long spans already stored are dropped when sent again (collector/processors/restartDuplicates.ts); 0: never. */
  crashDedupMs: number;
  ui: { host: string; port: number; auth: UiAuthConfig };
  /** The Jaeger query API (lib/jaeger/), served beside the dashboard. */
  jaeger: { host: string; port: number };
  /** ClickHouse's HTTP interface on the embedded store (server/clickhouseHttp/). */
  clickhouseHttp: ClickHouseHttpConfig;
  slo: { file: string; intervalMs: number };
};

export type ClickHouseHttpConfig = {
  host: string;
  port: number;
  /** The read-only `default` user's password; empty when unset. */
  password: string;
  /** The `admin` user (inserts, DDL) exists only with a password. */
  adminPassword?: string;
  maxExecutionSeconds: number;
  maxResultRows: number;
  maxResultBytes: number;
  /** The memory one query may use (`max_memory_usage`): the engine shares the process with the collector. */
  maxMemoryBytes: number;
  /** Queries running on the engine at once; more wait their turn, up to `maxQueuedQueries`. */
  maxConcurrentQueries: number;
  maxQueuedQueries: number;
};

export type TlsFiles = { certFile: string; keyFile: string; clientCaFile?: string };

/** Who may use the dashboard (server/auth/): a password, an authenticating proxy's header, or, on purpose, anyone. */
export type UiAuthConfig = {
  password?: string;
  /** The header (lower-cased) naming the user, believed only from the `proxies` addresses and blocks. */
  trustedHeader?: { name: string; proxies: string[] };
  /** FAULTLINE_UI_AUTH=none: no sign-in even on a non-loopback host. */
  none: boolean;
};

export class ConfigError extends Error {
  readonly code = 'FAULTLINE_ERR_CONFIG';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): FaultlineConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  if (e.CLICKHOUSE_CLUSTER && !e.CLICKHOUSE_URL) {
    throw new ConfigError('Invalid configuration:\n  CLICKHOUSE_CLUSTER: needs CLICKHOUSE_URL (a cluster is never embedded)');
  }
  if (Boolean(e.FAULTLINE_TLS_CERT_FILE) !== Boolean(e.FAULTLINE_TLS_KEY_FILE) || (e.FAULTLINE_TLS_CLIENT_CA_FILE && !e.FAULTLINE_TLS_CERT_FILE)) {
    throw new ConfigError(
      'Invalid configuration:\n  FAULTLINE_TLS_CERT_FILE, FAULTLINE_TLS_KEY_FILE: set both to turn on TLS (FAULTLINE_TLS_CLIENT_CA_FILE needs them too)',
    );
  }
  if (Boolean(e.FAULTLINE_UI_TRUSTED_HEADER) !== e.FAULTLINE_UI_TRUSTED_PROXIES.length > 0) {
    throw new ConfigError(
      'Invalid configuration:\n  FAULTLINE_UI_TRUSTED_HEADER and FAULTLINE_UI_TRUSTED_PROXIES go together: the header is believed only from those addresses',
    );
  }
  if (e.FAULTLINE_UI_AUTH === 'none' && (e.FAULTLINE_UI_PASSWORD || e.FAULTLINE_UI_TRUSTED_HEADER)) {
    throw new ConfigError('Invalid configuration:\n  FAULTLINE_UI_AUTH=none contradicts FAULTLINE_UI_PASSWORD / FAULTLINE_UI_TRUSTED_HEADER: set one or the other');
  }
  return {
    clickhouse: {
      url: e.CLICKHOUSE_URL,
      user: e.CLICKHOUSE_USER,
      password: e.CLICKHOUSE_PASSWORD,
      database: e.CLICKHOUSE_DATABASE,
      cluster: e.CLICKHOUSE_CLUSTER,
    },
    dataDir: e.FAULTLINE_DATA_DIR,
    retentionDays: e.FAULTLINE_RETENTION_DAYS,
    ingestToken: e.FAULTLINE_INGEST_TOKEN,
    otlp: {
      host: e.FAULTLINE_OTLP_HOST,
      port: e.FAULTLINE_OTLP_PORT,
      grpcHost: e.FAULTLINE_OTLP_GRPC_HOST,
      grpcPort: e.FAULTLINE_OTLP_GRPC_PORT,
      maxBodyBytes: e.FAULTLINE_MAX_BODY_BYTES,
      maxInflightBytes: e.FAULTLINE_MAX_INFLIGHT_BYTES,
    },
    zipkin: { host: e.FAULTLINE_ZIPKIN_HOST, port: e.FAULTLINE_ZIPKIN_PORT },
    tls:
      e.FAULTLINE_TLS_CERT_FILE && e.FAULTLINE_TLS_KEY_FILE
        ? { certFile: e.FAULTLINE_TLS_CERT_FILE, keyFile: e.FAULTLINE_TLS_KEY_FILE, clientCaFile: e.FAULTLINE_TLS_CLIENT_CA_FILE }
        : undefined,
    batch: {
      minRows: e.FAULTLINE_BATCH_MIN_ROWS,
      maxRows: e.FAULTLINE_BATCH_MAX_ROWS,
      maxDelayMs: e.FAULTLINE_BATCH_MAX_DELAY_MS,
      idleMs: e.FAULTLINE_BATCH_IDLE_MS,
      returnGapMs: e.FAULTLINE_BATCH_RETURN_GAP_MS,
      maxConcurrentInserts: e.FAULTLINE_BATCH_CONCURRENCY,
    },
    crashDedupMs: e.FAULTLINE_CRASH_DEDUP_SECONDS * 1000,
    ui: {
      host: e.FAULTLINE_UI_HOST,
      port: e.FAULTLINE_UI_PORT,
      auth: {
        password: e.FAULTLINE_UI_PASSWORD,
        trustedHeader: e.FAULTLINE_UI_TRUSTED_HEADER
          ? { name: e.FAULTLINE_UI_TRUSTED_HEADER.toLowerCase(), proxies: e.FAULTLINE_UI_TRUSTED_PROXIES }
          : undefined,
        none: e.FAULTLINE_UI_AUTH === 'none',
      },
    },
    jaeger: { host: e.FAULTLINE_JAEGER_HOST, port: e.FAULTLINE_JAEGER_PORT },
    clickhouseHttp: {
      host: e.FAULTLINE_CLICKHOUSE_HTTP_HOST,
      port: e.FAULTLINE_CLICKHOUSE_HTTP_PORT,
      password: e.FAULTLINE_CLICKHOUSE_HTTP_PASSWORD ?? '',
      adminPassword: e.FAULTLINE_CLICKHOUSE_HTTP_ADMIN_PASSWORD,
      maxExecutionSeconds: e.FAULTLINE_CLICKHOUSE_HTTP_MAX_EXECUTION_SECONDS,
      maxResultRows: e.FAULTLINE_CLICKHOUSE_HTTP_MAX_RESULT_ROWS,
      maxResultBytes: e.FAULTLINE_CLICKHOUSE_HTTP_MAX_RESULT_BYTES,
      maxMemoryBytes: e.FAULTLINE_CLICKHOUSE_HTTP_MAX_MEMORY_BYTES,
      maxConcurrentQueries: e.FAULTLINE_CLICKHOUSE_HTTP_MAX_CONCURRENT_QUERIES,
      maxQueuedQueries: e.FAULTLINE_CLICKHOUSE_HTTP_MAX_QUEUED_QUERIES,
    },
    slo: { file: e.FAULTLINE_SLO_FILE, intervalMs: e.FAULTLINE_SLO_INTERVAL_MS },
  };
}

/**
 * A request's URL parameters, sorted as ClickHouse's HTTP handler sorts them: the query and the HTTP
 * layer's own options, `param_<name>` query parameters, and everything else as settings for this one
 * query. The interface's limits then cap what the settings ask for, as a settings profile's
 * constraints would on a server.
 */
import { ClickHouseException } from './errors';

export type Limits = {
  /** Seconds a query may run (`max_execution_time`). */
  maxExecutionSeconds: number;
  /** Rows and bytes a result may hold (`max_result_rows`, `max_result_bytes`). */
  maxResultRows: number;
  maxResultBytes: number;
  /** Memory one query may use (`max_memory_usage`). */
  maxMemoryBytes: number;
};

export type RequestParams = {
  query: string;
  database?: string;
  defaultFormat?: string;
  queryId?: string;
  /** `enable_http_compression=1`: the answer may be compressed as the client's Accept-Encoding allows. */
  compressResponse: boolean;
  params: Map<string, string>;
  settings: Map<string, string>;
  credentials: { user?: string; password?: string };
};

/** Parameters the HTTP layer reads itself: never passed to the engine as settings. */
const httpOptions = new Set([
  'query',
  'database',
  'default_format',
  'user',
  'password',
  'query_id',
  'quota_key',
  'session_id',
  'session_timeout',
  'session_check',
  'buffer_size',
  'wait_end_of_query',
  'compress',
  'decompress',
  'enable_http_compression',
  'http_zlib_compression_level',
  'role',
  'stacktrace',
  // clickhouse-go announces its Native revision; the engine writes Native as for a client that announces none.
  'client_protocol_version',
]);

const settingName = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function readRequestParams(url: URL): RequestParams {
  const search = url.searchParams;
  const params = new Map<string, string>();
  const settings = new Map<string, string>();
  for (const [name, value] of search) {
    if (name.startsWith('param_')) params.set(name.slice('param_'.length), value);
    else if (httpOptions.has(name)) continue;
    else if (!settingName.test(name)) throw new ClickHouseException(115, `Unknown setting '${name}'`);
    else settings.set(name, value);
  }
  if (search.get('session_id')) throw new ClickHouseException(48, 'Sessions (session_id) are not supported by this interface: each query runs on its own');
  if (search.get('compress') === '1' || search.get('decompress') === '1') {
    throw new ClickHouseException(48, "ClickHouse's native compression (compress=1, decompress=1) is not supported by this interface: use HTTP compression (Content-Encoding, enable_http_compression=1)");
  }
  return {
    query: search.get('query') ?? '',
    database: search.get('database') || undefined,
    defaultFormat: search.get('default_format') || undefined,
    queryId: search.get('query_id') || undefined,
    compressResponse: search.get('enable_http_compression') === '1',
    params,
    settings,
    credentials: { user: search.get('user') ?? undefined, password: search.get('password') ?? undefined },
  };
}

/**
 * The settings the engine runs the query with: the client's, with the limits as ceilings (0, "no
 * limit", asks for the ceiling too), overflow throwing rather than cutting the result short unless the
 * client chose otherwise, and `readonly` never below what the user and method allow.
 */
export function effectiveSettings(requested: ReadonlyMap<string, string>, limits: Limits, readonly: 0 | 1 | 2): [string, string][] {
  const settings = new Map(requested);
  const cap = (name: string, ceiling: number) => {
    if (!(ceiling > 0)) return;
    const asked = Number(settings.get(name));
    settings.set(name, String(Number.isFinite(asked) && asked > 0 ? Math.min(asked, ceiling) : ceiling));
  };
  cap('max_execution_time', limits.maxExecutionSeconds);
  cap('max_result_rows', limits.maxResultRows);
  cap('max_result_bytes', limits.maxResultBytes);
  cap('max_memory_usage', limits.maxMemoryBytes);
  if (!settings.has('result_overflow_mode')) settings.set('result_overflow_mode', 'throw');
  // From least to most restrictive: 0, 2 (settings may change), 1. Set last: once it is 1, no other setting may change.
  const strictness = (level: number) => [0, 2, 1].indexOf(level);
  const asked = Number(settings.get('readonly'));
  settings.delete('readonly');
  settings.set('readonly', String(strictness(asked) > strictness(readonly) ? asked : readonly));
  return [...settings];
}

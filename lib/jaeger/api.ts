/**
 * Jaeger's HTTP JSON query API over Faultline's store: each path asks lib/queries the question the
 * dashboard's API asks (services, operations, trace search, trace by id, dependencies) and answers in
 * Jaeger's model. Every answer, errors included, is Jaeger's envelope `{ data, total, limit, offset,
 * errors }`; a bad parameter is a 400, an unknown trace a 404, anything else a 500.
 */
import { BadParameterError, FaultlineError, NotFoundError } from '../errors';
import { maxRangeMs, parseValues } from '../input';
import type { Store } from '../clickhouse/store';
import { listOperationKinds, listServices, operationKindsInput, spanKinds } from '../queries/services';
import { getServiceMap, serviceMapInput } from '../queries/serviceMap';
import { searchTraces, traceSearchInput } from '../queries/traceSearch';
import { getTracesInFull, maxTraceSpans } from '../queries/traceView';
import type { JaegerDependencyLink, JaegerError, JaegerOperation, JaegerResponse } from './model';
import { goDurationMs, jaegerTraceId, searchTags, wholeNumber } from './params';
import { toJaegerTrace } from './translate';

/** What the answers read from: a store's client and database. */
export type JaegerStore = Pick<Store, 'client' | 'database'>;

export type JaegerAnswer = { status: number; body: JaegerResponse<unknown> };

/** Jaeger's defaults when a search has no start, and when dependencies have no lookback. */
const defaultSearchLookbackMs = 2 * 24 * 3_600_000;
const defaultDependencyLookbackMs = 24 * 3_600_000;
/** Jaeger's default number of traces a search returns. */
const defaultSearchLimit = 100;

const ok = (data: unknown, total = 0): JaegerAnswer => ({ status: 200, body: { data, total, limit: 0, offset: 0, errors: null } });

export function jaegerError(status: number, msg: string): JaegerAnswer {
  const error: JaegerError = { code: status, msg };
  return { status, body: { data: null, total: 0, limit: 0, offset: 0, errors: [error] } };
}

/**
 * Services and operations have no time range in Jaeger's API: they cover the longest range a query may,
 * ending a minute ahead for senders whose clocks are.
 */
const catalogRange = (now: number) => ({ from: now + 60_000 - maxRangeMs, to: now + 60_000 });

async function services(store: JaegerStore, now: number) {
  const names = (await listServices(store, catalogRange(now))).map((row) => row.service);
  return ok(names, names.length);
}

const jaegerKinds = new Map<string, (typeof spanKinds)[number]>(spanKinds.map((kind) => [kind === 'Unspecified' ? '' : kind.toLowerCase(), kind]));

async function operations(store: JaegerStore, service: string | null, spanKind: string, now: number) {
  if (!service) throw new BadParameterError('service: parameter is required');
  if (!jaegerKinds.has(spanKind)) throw new BadParameterError(`spanKind: must be one of server, client, producer, consumer, internal or empty`);
  const kind = spanKind === '' ? undefined : jaegerKinds.get(spanKind);
  const rows = await listOperationKinds(store, parseValues(operationKindsInput, { ...catalogRange(now), service, kind }));
  return rows.map((row): JaegerOperation => ({ name: row.operation, spanKind: row.kind === 'Unspecified' ? '' : row.kind.toLowerCase() }));
}

async function operationNames(store: JaegerStore, service: string, now: number) {
  const names = [...new Set((await operations(store, service, '', now)).map((operation) => operation.name))];
  return ok(names, names.length);
}

/** The search's time range in milliseconds: `start`/`end` are epoch microseconds, `lookback` a duration. */
function searchRange(params: URLSearchParams, now: number) {
  const endUs = wholeNumber(params, 'end', now * 1000);
  const lookback = params.get('lookback');
  const lookbackMs = lookback && lookback !== 'custom' ? lookbackDurationMs(lookback) : defaultSearchLookbackMs;
  const startUs = wholeNumber(params, 'start', endUs - lookbackMs * 1000);
  return { from: Math.floor(startUs / 1000), to: Math.floor(endUs / 1000) + 1 };
}

/** Jaeger UI's lookbacks (`1h`, `2d`): Go durations, plus days. */
function lookbackDurationMs(text: string): number {
  const days = /^(\d+)d$/.exec(text);
  return days ? Number(days[1]) * 24 * 3_600_000 : goDurationMs(text, 'lookback');
}

/** `traceID=a&traceID=b`, as Jaeger UI's trace comparison asks: the traces not found are errors beside the data. */
async function tracesByIds(store: JaegerStore, ids: string[]) {
  const traceIds = [...new Set(ids.map(jaegerTraceId))];
  const traces = await getTracesInFull(store, traceIds);
  const found = new Set(traces.map((trace) => trace.traceId));
  const missing = traceIds.filter((id) => !found.has(id)).map((traceID) => ({ msg: 'trace not found', traceID }));
  const answer = ok(traces.map((trace) => toJaegerTrace(trace, maxTraceSpans)));
  return missing.length === 0 ? answer : { ...answer, body: { ...answer.body, errors: missing } };
}

async function search(store: JaegerStore, params: URLSearchParams, now: number) {
  const ids = params.getAll('traceID').filter((id) => id !== '');
  if (ids.length > 0) return tracesByIds(store, ids);
  const tags = searchTags(params);
  // `error` is a tag Jaeger's translation makes from the status, not an attribute: it filters on the status.
  const errorTag = tags.find((tag) => tag.key === 'error');
  if (errorTag && !['true', 'false'].includes(errorTag.value)) throw new BadParameterError('tags: error must be true or false');
  // So is `span.kind`, made from the span kind.
  const kindTag = tags.find((tag) => tag.key === 'span.kind');
  if (kindTag && !jaegerKinds.has(kindTag.value)) throw new BadParameterError('tags: span.kind must be one of server, client, producer, consumer, internal');
  const duration = (name: string) => {
    const value = params.get(name);
    return value ? goDurationMs(value, name) : undefined;
  };
  // Validated by the dashboard's schemas, so the same limits and messages apply.
  const input = parseValues(traceSearchInput, {
    ...searchRange(params, now),
    service: params.get('service') || undefined,
    operation: params.get('operation') || undefined,
    minDurationMs: duration('minDuration'),
    maxDurationMs: duration('maxDuration'),
    status: errorTag ? (errorTag.value === 'true' ? 'error' : 'ok') : undefined,
    kind: kindTag ? jaegerKinds.get(kindTag.value) : undefined,
    attr: tags.filter((tag) => tag.key !== 'error' && tag.key !== 'span.kind').map((tag) => `${tag.key}=${tag.value}`),
    limit: wholeNumber(params, 'limit', 0) || defaultSearchLimit,
  });
  const found = await searchTraces(store, input);
  const traces = await getTracesInFull(store, found.map((trace) => trace.traceId));
  return ok(traces.map((trace) => toJaegerTrace(trace, maxTraceSpans)));
}

async function traceById(store: JaegerStore, id: string) {
  const traceId = jaegerTraceId(id);
  const [trace] = await getTracesInFull(store, [traceId]);
  if (!trace) throw new NotFoundError(`trace not found: ${traceId}`);
  return ok([toJaegerTrace(trace, maxTraceSpans)]);
}

/**
 * Caller → callee calls from the service map, which reads at most the last hour of the range (see
 * lib/queries/serviceMap.ts); uninstrumented peers (databases, brokers, external APIs) are children too.
 */
async function dependencies(store: JaegerStore, params: URLSearchParams, now: number) {
  const endTs = wholeNumber(params, 'endTs', now);
  const lookback = wholeNumber(params, 'lookback', 0) || defaultDependencyLookbackMs;
  const range = parseValues(serviceMapInput, { from: Math.max(0, endTs - lookback), to: endTs });
  const service = params.get('service');
  const map = await getServiceMap(store, range);
  const links = map.edges
    .filter((edge) => !service || edge.source === service || edge.target === service)
    .map((edge): JaegerDependencyLink => ({ parent: edge.source, child: edge.target, callCount: edge.calls }));
  return ok(links);
}

async function route(store: JaegerStore, url: URL, now: number): Promise<JaegerAnswer> {
  const params = url.searchParams;
  const path = url.pathname.replace(/\/+$/, '');
  const segment = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      throw new BadParameterError(`path: ${JSON.stringify(text)} is not URL-encoded text`);
    }
  };
  if (path === '/api/services') return services(store, now);
  let match = /^\/api\/services\/([^/]+)\/operations$/.exec(path);
  if (match) return operationNames(store, segment(match[1]!), now);
  if (path === '/api/operations') {
    const list = await operations(store, params.get('service'), params.get('spanKind') ?? '', now);
    return ok(list, list.length);
  }
  if (path === '/api/traces') return search(store, params, now);
  match = /^\/api\/traces\/([^/]+)$/.exec(path);
  if (match) return traceById(store, segment(match[1]!));
  if (path === '/api/dependencies') return dependencies(store, params, now);
  return jaegerError(404, `no such endpoint: ${url.pathname}`);
}

/** Answers one GET of Jaeger's query API; never throws. */
export async function answerJaeger(store: JaegerStore, url: URL, now = Date.now()): Promise<JaegerAnswer> {
  try {
    return await route(store, url, now);
  } catch (error) {
    if (error instanceof FaultlineError && error.status < 500) return jaegerError(error.status, error.message);
    console.error('Jaeger query API request failed', error);
    return jaegerError(500, 'the query failed inside Faultline; the server log has the details');
  }
}

/**
 * A few minutes of a small shop's telemetry as OTLP/JSON request bodies, the same bytes every time for
 * a given `baseMs` and `traces`: traces through gateway → order → payment (with guarded calls carrying
 * the resilience convention's attributes, errors, slow answers, and an unguarded call to inventory),
 * log lines tied to the spans, breaker state changes as logs, and the breaker gauge and call counters.
 * Enough for every dashboard page to have something to show: services, traces, logs, breakers, the
 * service map, findings and an SLO that burns.
 */
import { createHash } from 'node:crypto';

type Attr = { key: string; value: { stringValue: string } | { intValue: string } | { boolValue: boolean } | { doubleValue: number } };
type Attrs = Record<string, string | number | boolean>;

const attrs = (values: Attrs): Attr[] =>
  Object.entries(values).map(([key, value]) => ({
    key,
    value:
      typeof value === 'string'
        ? { stringValue: value }
        : typeof value === 'boolean'
          ? { boolValue: value }
          : Number.isInteger(value)
            ? { intValue: String(value) }
            : { doubleValue: value },
  }));

/** Deterministic ids: the same fixture on every store. */
const id = (bytes: number, ...parts: (string | number)[]) => createHash('sha256').update(parts.join('/')).digest('hex').slice(0, bytes * 2);
const nanos = (ms: number) => `${BigInt(Math.round(ms * 1000)) * 1000n}`;

const kinds = { Internal: 1, Server: 2, Client: 3, Producer: 4, Consumer: 5 } as const;

type Span = {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: keyof typeof kinds;
  startMs: number;
  durationMs: number;
  error?: string;
  attributes?: Attrs;
  events?: { timeMs: number; name: string; attributes: Attrs }[];
};

type Log = { service: string; timeMs: number; severity: 'INFO' | 'WARN' | 'ERROR'; body: string; traceId?: string; spanId?: string; eventName?: string; attributes?: Attrs };

const severityNumbers = { INFO: 9, WARN: 13, ERROR: 17 } as const;
const resource = (service: string) => ({ attributes: attrs({ 'service.name': service, 'service.version': '1.4.2', 'deployment.environment.name': 'test' }) });
const scope = { name: 'faultline-fixture', version: '1.0.0' };

export type ShopTelemetry = {
  /** OTLP/JSON bodies for /v1/traces, a few traces each. */
  traces: { body: string; spans: number }[];
  logs: string[];
  metrics: string[];
  traceIds: string[];
  /** A trace with an error, and its failing guarded call to the payment provider. */
  errorTraceId: string;
  errorSpanId: string;
  spanCount: number;
};

export function shopTelemetry({ baseMs, traces = 60, tracesPerBody = 5 }: { baseMs: number; traces?: number; tracesPerBody?: number }): ShopTelemetry {
  const spans: Span[] = [];
  const logs: Log[] = [];
  const traceIds: string[] = [];
  let errorTraceId = '';
  let errorSpanId = '';
  const breaker = 'payment->payment-provider';
  for (let t = 0; t < traces; t++) {
    const traceId = id(16, 'trace', t);
    traceIds.push(traceId);
    const start = baseMs + t * 2_000;
    const failed = t % 4 === 1;
    const slow = t % 5 === 3;
    const span = (name: string, rest: Omit<Span, 'traceId' | 'spanId' | 'name'>) => {
      const spanId = id(8, 'span', t, name, rest.service);
      spans.push({ traceId, spanId, name, ...rest });
      return spanId;
    };
    const gatewayMs = slow ? 900 : 120 + (t % 7) * 10;
    const root = span('GET /api/checkout', {
      service: 'gateway', parentSpanId: '', kind: 'Server', startMs: start, durationMs: gatewayMs,
      error: failed ? 'payment failed' : undefined,
      attributes: { 'http.request.method': 'GET', 'http.route': '/api/checkout', 'http.response.status_code': failed ? 502 : 200, 'note': t % 3 === 0 ? "it's a \\ quote" : 'plain' },
    });
    // gateway → order: guarded, with a timeout shorter than order's answers (a finding).
    const guard = span('order place', {
      service: 'gateway', parentSpanId: root, kind: 'Internal', startMs: start + 2, durationMs: gatewayMs - 5, error: failed ? 'order failed' : undefined,
      attributes: { 'peer.service': 'order', 'resilience.circuit_breaker.name': 'gateway->order', 'resilience.circuit_breaker.state': 'closed', 'resilience.retry.attempt': 0, 'resilience.fallback.used': false, 'resilience.timeout.ms': 100, 'resilience.retry.max_attempts': 1, 'resilience.idempotent': false },
    });
    const toOrder = span('POST', { service: 'gateway', parentSpanId: guard, kind: 'Client', startMs: start + 3, durationMs: gatewayMs - 8, error: failed ? '502' : undefined, attributes: { 'peer.service': 'order', 'server.address': 'order', 'http.request.method': 'POST' } });
    const orderServer = span('POST /orders', { service: 'order', parentSpanId: toOrder, kind: 'Server', startMs: start + 5, durationMs: gatewayMs - 12, error: failed ? 'payment failed' : undefined, attributes: { 'http.route': '/orders', 'http.response.status_code': failed ? 502 : 201 } });
    // order → inventory: no guard at all (a finding), inventory answers.
    const toInventory = span('GET', { service: 'order', parentSpanId: orderServer, kind: 'Client', startMs: start + 6, durationMs: 15, attributes: { 'peer.service': 'inventory', 'server.address': 'inventory' } });
    span('GET /stock', { service: 'inventory', parentSpanId: toInventory, kind: 'Server', startMs: start + 7, durationMs: 12, attributes: { 'http.route': '/stock' } });
    // order → payment, payment → payment-provider through the breaker; failures open it now and then.
    const toPayment = span('POST', { service: 'order', parentSpanId: orderServer, kind: 'Client', startMs: start + 25, durationMs: gatewayMs - 40, error: failed ? '502' : undefined, attributes: { 'peer.service': 'payment', 'server.address': 'payment' } });
    const paymentServer = span('POST /charges', { service: 'payment', parentSpanId: toPayment, kind: 'Server', startMs: start + 26, durationMs: gatewayMs - 42, error: failed ? 'provider unavailable' : undefined, attributes: { 'http.route': '/charges' } });
    const opens = t % 12 === 1;
    const providerGuard = span('payment-provider POST /v1/charges', {
      service: 'payment', parentSpanId: paymentServer, kind: 'Internal', startMs: start + 28, durationMs: gatewayMs - 50, error: failed ? 'provider unavailable' : undefined,
      attributes: {
        'peer.service': 'payment-provider', 'resilience.circuit_breaker.name': breaker, 'resilience.circuit_breaker.state': failed && t % 12 === 5 ? 'open' : 'closed',
        'resilience.retry.attempt': failed ? 2 : 0, 'resilience.retry.max_attempts': 3, 'resilience.fallback.used': false, 'resilience.timeout.ms': 2000, 'resilience.idempotent': true,
        'resilience.circuit_breaker.failure_threshold': 5, 'resilience.circuit_breaker.half_open_after_ms': 10_000,
      },
      events: opens ? [{ timeMs: start + 60, name: 'resilience.circuit_breaker.state_change', attributes: { from: 'closed', to: 'open', 'resilience.circuit_breaker.name': breaker, 'resilience.policy.name': breaker, 'peer.service': 'payment-provider' } }] : [],
    });
    if (failed && !errorTraceId) [errorTraceId, errorSpanId] = [traceId, providerGuard];
    for (let attempt = 0; attempt <= (failed ? 2 : 0); attempt++) {
      span(`POST attempt ${attempt}`, {
        service: 'payment', parentSpanId: providerGuard, kind: 'Client', startMs: start + 30 + attempt * 20, durationMs: 15, error: failed ? '503' : undefined,
        attributes: { 'peer.service': 'payment-provider', 'server.address': 'api.payment-provider.example', 'http.request.method': 'POST', ...(attempt > 0 ? { 'http.request.resend_count': attempt } : {}) },
      });
    }
    logs.push({ service: 'order', timeMs: start + 6, severity: 'INFO', body: `placing order ${t}`, traceId, spanId: orderServer, attributes: { 'order.id': `o-${t}` } });
    if (failed) logs.push({ service: 'payment', timeMs: start + 90, severity: 'ERROR', body: `charge failed for order ${t}: provider answered 503`, traceId, spanId: providerGuard, attributes: { 'order.id': `o-${t}` } });
    if (opens) {
      logs.push({ service: 'payment', timeMs: start, severity: 'INFO', body: 'fault flag changed', attributes: { 'faultline.annotation': 'paymentProviderFailure on' } });
      for (const [from, to, offset] of [['closed', 'open', 60], ['open', 'half_open', 10_060], ['half_open', 'closed', 10_100]] as const) {
        logs.push({
          service: 'payment', timeMs: start + offset, severity: to === 'open' ? 'WARN' : 'INFO', body: 'resilience.circuit_breaker.state_change', eventName: 'resilience.circuit_breaker.state_change',
          traceId: offset === 60 ? traceId : undefined, spanId: offset === 60 ? providerGuard : undefined,
          attributes: { from, to, 'resilience.circuit_breaker.name': breaker, 'resilience.policy.name': breaker, 'peer.service': 'payment-provider' },
        });
      }
    }
  }

  const traceBodies: { body: string; spans: number }[] = [];
  for (let first = 0; first < traceIds.length; first += tracesPerBody) {
    const ids = new Set(traceIds.slice(first, first + tracesPerBody));
    const batch = spans.filter((span) => ids.has(span.traceId));
    traceBodies.push({ body: JSON.stringify({ resourceSpans: byService(batch, (service, items) => ({ resource: resource(service), scopeSpans: [{ scope, spans: items.map(otlpSpan) }] })) }), spans: batch.length });
  }
  const logBodies = chunks(logs, 40).map((batch) => JSON.stringify({ resourceLogs: byService(batch, (service, items) => ({ resource: resource(service), scopeLogs: [{ scope, logRecords: items.map(otlpLog) }] })) }));
  return { traces: traceBodies, logs: logBodies, metrics: breakerMetrics(baseMs, traces * 2_000, breaker), traceIds, errorTraceId, errorSpanId, spanCount: spans.length };
}

function otlpSpan(span: Span) {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: span.name,
    kind: kinds[span.kind],
    startTimeUnixNano: nanos(span.startMs),
    endTimeUnixNano: nanos(span.startMs + span.durationMs),
    attributes: attrs(span.attributes ?? {}),
    events: (span.events ?? []).map((event) => ({ timeUnixNano: nanos(event.timeMs), name: event.name, attributes: attrs(event.attributes) })),
    status: span.error ? { code: 2, message: span.error } : { code: 0 },
  };
}

function otlpLog(log: Log) {
  return {
    timeUnixNano: nanos(log.timeMs),
    observedTimeUnixNano: nanos(log.timeMs),
    severityNumber: severityNumbers[log.severity],
    severityText: log.severity,
    body: { stringValue: log.body },
    attributes: attrs(log.attributes ?? {}),
    ...(log.traceId ? { traceId: log.traceId, spanId: log.spanId } : {}),
    ...(log.eventName ? { eventName: log.eventName } : {}),
  };
}

/** The breaker's gauge every 10 s (open for a while after each opening) and its cumulative call counters. */
function breakerMetrics(baseMs: number, spanMs: number, breaker: string): string[] {
  const point = { 'resilience.policy.name': breaker, 'peer.service': 'payment-provider' };
  const bodies: string[] = [];
  const counts = { success: 0, failure: 0, rejected: 0 };
  for (let at = baseMs; at <= baseMs + spanMs; at += 10_000) {
    const step = Math.round((at - baseMs) / 10_000);
    const state = step % 6 === 1 ? 2 : step % 6 === 2 ? 1 : 0;
    counts.success += 8;
    counts.failure += state === 0 ? 1 : 3;
    counts.rejected += state === 2 ? 4 : 0;
    bodies.push(
      JSON.stringify({
        resourceMetrics: [
          {
            resource: resource('payment'),
            scopeMetrics: [
              {
                scope,
                metrics: [
                  { name: 'resilience.circuit_breaker.state', unit: '1', gauge: { dataPoints: [{ timeUnixNano: nanos(at), asInt: String(state), attributes: attrs(point) }] } },
                  {
                    name: 'resilience.circuit_breaker.calls',
                    unit: '{call}',
                    sum: {
                      aggregationTemporality: 2,
                      isMonotonic: true,
                      dataPoints: Object.entries(counts).map(([outcome, value]) => ({ startTimeUnixNano: nanos(baseMs - 1_000), timeUnixNano: nanos(at), asInt: String(value), attributes: attrs({ ...point, outcome }) })),
                    },
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
  }
  return bodies;
}

function byService<T extends { service: string }, R>(items: T[], make: (service: string, items: T[]) => R): R[] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(item.service, [...(groups.get(item.service) ?? []), item]);
  return [...groups].map(([service, group]) => make(service, group));
}

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

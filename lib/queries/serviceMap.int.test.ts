import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFaultline, type TestFaultline } from '@/tests/support/faultline';
import { getServiceMap, serviceMapInput } from './serviceMap';
import type { MapEdge } from '../contract/serviceMap';

let faultline: TestFaultline;
const base = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
// A 100 s range, so calls per second are calls / 100.
const range = { from: base, to: base + 100_000 };
const at = (ms: number) => new Date(ms).toISOString();
const settings = { date_time_input_format: 'best_effort' as const };

let spanCounter = 0;
const spanId = () => (++spanCounter).toString(16).padStart(16, '0');

type SpanSpec = { id?: string; parent?: string; service: string; kind: string; ms: number; error?: boolean; attributes?: Record<string, string> };
const span = (trace: number, spec: SpanSpec) => ({
  Timestamp: at(base + 1_000 + trace * 100),
  TraceId: trace.toString(16).padStart(32, '0'),
  SpanId: spec.id ?? spanId(),
  ParentSpanId: spec.parent ?? '',
  SpanName: `${spec.kind} ${spec.service}`,
  SpanKind: spec.kind,
  ServiceName: spec.service,
  Duration: spec.ms * 1_000_000,
  StatusCode: spec.error ? 'Error' : 'Unset',
  SpanAttributes: spec.attributes ?? {},
});

/** One checkout: gateway calls order, order publishes to payment and notification, payment calls its provider. */
function checkout(trace: number, { orderMs, providerError }: { orderMs: number; providerError: boolean }) {
  const [root, toOrder, atOrder, publish, atPayment] = [spanId(), spanId(), spanId(), spanId(), spanId()];
  return [
    span(trace, { id: root, service: 'gateway', kind: 'Server', ms: orderMs + 5 }),
    span(trace, { id: toOrder, parent: root, service: 'gateway', kind: 'Client', ms: orderMs + 1, attributes: { 'peer.service': 'order' } }),
    span(trace, { id: atOrder, parent: toOrder, service: 'order', kind: 'Server', ms: orderMs }),
    span(trace, { id: publish, parent: atOrder, service: 'order', kind: 'Producer', ms: 1, attributes: { 'messaging.system': 'mqtt' } }),
    span(trace, { id: atPayment, parent: publish, service: 'payment', kind: 'Consumer', ms: 30 }),
    span(trace, { parent: publish, service: 'notification', kind: 'Consumer', ms: 10 }),
    span(trace, { parent: atPayment, service: 'payment', kind: 'Client', ms: 20, error: providerError, attributes: { 'peer.service': 'payment-provider' } }),
  ];
}

beforeAll(async () => {
  faultline = await startTestFaultline();
  const spans = Array.from({ length: 20 }, (_, i) => checkout(i + 1, { orderMs: (i + 1) * 10, providerError: i < 5 })).flat();
  const { client, database } = faultline.store;
  await client.insert({ table: `${database}.otel_traces`, values: spans, format: 'JSONEachRow', clickhouse_settings: settings });
  const lateCall = { ...span(0, { id: 'ca11000000000001', service: 'gateway', kind: 'Client', ms: 5, attributes: { 'server.address': '127.0.0.1' } }), Timestamp: at(base + 200_000) };
  const lateServer = { ...span(0, { parent: 'ca11000000000001', service: 'order', kind: 'Server', ms: 3 }), Timestamp: at(base + 200_500) };
  await client.insert({ table: `${database}.otel_traces`, values: [lateCall, lateServer], format: 'JSONEachRow', clickhouse_settings: settings });
  const breaker = { 'resilience.policy.name': 'payment->payment-provider', 'peer.service': 'payment-provider' };
  await client.insert({
    table: `${database}.otel_metrics_gauge`,
    format: 'JSONEachRow',
    clickhouse_settings: settings,
    values: [
      { ServiceName: 'payment', MetricName: 'resilience.circuit_breaker.state', Attributes: breaker, TimeUnix: at(base + 10_000), Value: 0 },
      { ServiceName: 'payment', MetricName: 'resilience.circuit_breaker.state', Attributes: breaker, TimeUnix: at(base + 50_000), Value: 2 },
    ],
  });
});

afterAll(async () => {
  await faultline?.stop();
});

const map = () => getServiceMap(faultline.store, serviceMapInput.parse(range));
const edge = (edges: MapEdge[], source: string, target: string) => edges.find((e) => e.source === source && e.target === target);

describe('getServiceMap', () => {
  it('has a node per service, external peers marked as such', async () => {
    expect((await map()).nodes).toEqual([
      { service: 'gateway', external: false },
      { service: 'notification', external: false },
      { service: 'order', external: false },
      { service: 'payment', external: false },
      { service: 'payment-provider', external: true },
    ]);
  });

  it('draws call edges with calls per second, error rate and the caller-side p95', async () => {
    const { edges } = await map();
    // The gateway's client spans last 11, 21 … 201 ms; p95 interpolates between the two largest.
    expect(edge(edges, 'gateway', 'order')).toMatchObject({ kind: 'Client', peerKey: 'peer.service', peer: 'order', calls: 20, errors: 0, callsPerSecond: 0.2, errorRate: 0, breaker: null });
    expect(edge(edges, 'gateway', 'order')?.p95Ms).toBeCloseTo(191.5, 6);
  });

  it('draws messaging edges from a producer to each consumer', async () => {
    const { edges } = await map();
    expect(edge(edges, 'order', 'payment')).toMatchObject({ kind: 'Producer', peerKey: 'messaging.system', peer: 'mqtt', calls: 20, p95Ms: 30 });
    expect(edge(edges, 'order', 'notification')).toMatchObject({ kind: 'Producer', calls: 20, p95Ms: 10 });
    expect(edge(edges, 'order', 'mqtt')).toBeUndefined();
  });

  it('joins a call made at the end of the range to its server span just after it', async () => {
    // After the main range: a call at +200 s whose server span starts half a second later.
    const late = await getServiceMap(faultline.store, serviceMapInput.parse({ from: base + 150_000, to: base + 200_100 }));
    expect(late.edges).toEqual([expect.objectContaining({ source: 'gateway', target: 'order', calls: 1 })]);
    expect(late.nodes.map((node) => node.service)).toEqual(['gateway', 'order']);
  });

  it('draws an edge to an uninstrumented peer with its errors and its breaker state', async () => {
    const { edges } = await map();
    expect(edge(edges, 'payment', 'payment-provider')).toMatchObject({
      calls: 20,
      errors: 5,
      errorRate: 0.25,
      breaker: { name: 'payment->payment-provider', state: 'open' },
    });
    expect(edges).toHaveLength(4);
  });
});

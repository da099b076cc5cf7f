/**
 * Fixture spans for the findings' tests, written straight into a store's `otel_traces`: a guarded call
 * is a guard span (Internal, carrying `peer.service` and the `resilience.*` attributes), its client
 * span, and the callee's server span, as the demo's guard writes them (docs/resilience-telemetry.md).
 */
import { randomBytes } from 'node:crypto';
import type { Store } from '../../lib/clickhouse/store';

export const hex = (bytes: number) => randomBytes(bytes).toString('hex');

export type SpanFixture = {
  traceId: string;
  spanId?: string;
  parentSpanId?: string;
  service: string;
  name: string;
  kind: 'Internal' | 'Client' | 'Server';
  durationMs: number;
  error?: boolean;
  attributes?: Record<string, string | number | boolean>;
};

export class FixtureSpans {
  private readonly rows: Record<string, unknown>[] = [];

  /** `start` is the first span's time; each next span starts a millisecond later. */
  constructor(private readonly start: number) {}

  span(fixture: SpanFixture): string {
    const spanId = fixture.spanId ?? hex(8);
    this.rows.push({
      Timestamp: new Date(this.start + this.rows.length).toISOString(),
      TraceId: fixture.traceId,
      SpanId: spanId,
      ParentSpanId: fixture.parentSpanId ?? '',
      ServiceName: fixture.service,
      SpanName: fixture.name,
      SpanKind: fixture.kind,
      Duration: Math.round(fixture.durationMs * 1e6),
      StatusCode: fixture.error ? 'Error' : 'Unset',
      SpanAttributes: Object.fromEntries(Object.entries(fixture.attributes ?? {}).map(([key, value]) => [key, String(value)])),
    });
    return spanId;
  }

  /** A guarded call from `service` to `peer`: the guard span, its client span and the callee's server span, each `calleeMs` long. */
  guardedCall(traceId: string, service: string, peer: string, guard: Record<string, string | number | boolean>, calleeMs: number, error = false, operation = `${peer} call`): void {
    const guardId = this.span({ traceId, service, name: operation, kind: 'Internal', durationMs: calleeMs, error, attributes: { 'peer.service': peer, 'resilience.circuit_breaker.name': `${service}->${peer}`, ...guard } });
    const clientId = this.span({ traceId, parentSpanId: guardId, service, name: 'POST', kind: 'Client', durationMs: calleeMs, error, attributes: { 'server.address': '127.0.0.1' } });
    this.span({ traceId, parentSpanId: clientId, service: peer, name: 'POST /work', kind: 'Server', durationMs: calleeMs, error });
  }

  async insert(store: Store): Promise<void> {
    await store.client.insert({
      table: `${store.database}.otel_traces`,
      values: this.rows,
      format: 'JSONEachRow',
      clickhouse_settings: { date_time_input_format: 'best_effort' },
    });
  }
}

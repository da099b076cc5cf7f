import { describe, expect, it } from 'vitest';
import { waterfallSpan } from '../waterfall/testSpans';
import { diffTraces } from './traceDiff';
import type { WaterfallSpan } from '@/lib/contract/traces';

const span = (spanId: string, parentSpanId: string, service: string, name: string, startMs: number, durationMs: number, more: Partial<WaterfallSpan> = {}) =>
  waterfallSpan(spanId, parentSpanId, startMs, durationMs, { service, name, ...more });
const guard = (spanId: string, startMs: number, durationMs: number, happened: Record<string, string>) =>
  span(spanId, 'root', 'order', 'inventory check availability', startMs, durationMs, {
    resilience: { 'resilience.circuit_breaker.name': 'order->inventory', 'resilience.retry.max_attempts': '3', 'resilience.timeout.ms': '100', ...happened },
  });
const attempt = (spanId: string, startMs: number, durationMs: number) => span(spanId, 'g', 'order', 'GET', startMs, durationMs, { kind: 'Client' });

// The same checkout twice, the second an hour later: healthy, then retried twice and answered by the fallback.
const healthy = [
  span('root', '', 'order', 'POST /orders', 1_000, 60),
  guard('g', 1_005, 30, { 'resilience.retry.attempt': '0', 'resilience.fallback.used': 'false' }),
  attempt('a1', 1_006, 28),
  span('s1', 'a1', 'inventory', 'GET /availability', 1_007, 25),
  span('pay', 'root', 'order', 'payment charge', 1_040, 15),
];
const hour = 3_600_000;
const degraded = [
  span('root', '', 'order', 'POST /orders', hour + 1_000, 420),
  guard('g', hour + 1_005, 390, { 'resilience.retry.attempt': '2', 'resilience.fallback.used': 'true' }),
  attempt('a1', hour + 1_006, 100),
  span('s1', 'a1', 'inventory', 'GET /availability', hour + 1_007, 300),
  attempt('a2', hour + 1_150, 100),
  attempt('a3', hour + 1_290, 100),
  span('pay', 'root', 'order', 'payment charge', hour + 1_400, 15),
];

const summary = (rows: ReturnType<typeof diffTraces>['rows']) =>
  rows.map((row) => `${'-'.repeat(row.depth)}${row.service} ${row.name} ${row.a ? 'A' : '_'}${row.b ? 'B' : '_'} ${row.deltaMs ?? ''} ${row.notes.b.join(',')}`.trimEnd());

describe('diffTraces', () => {
  it('matches spans by service and operation path, nth same-named sibling with nth, and lists the extra attempts with their notes', () => {
    const diff = diffTraces(healthy, degraded);
    expect(summary(diff.rows)).toEqual([
      'order POST /orders AB 360',
      '-order inventory check availability AB 360 fallback',
      '--order GET AB 72',
      '---inventory GET /availability AB 275',
      '--order GET _B  retry 2/3',
      '--order GET _B  retry 3/3',
      '-order payment charge AB 0',
    ]);
    expect(diff).toMatchObject({ durationMs: { a: 60, b: 420 }, matched: 5, onlyIn: { a: 0, b: 2 } });
  });

  it('is symmetrical: what B lacks is counted as only in A', () => {
    const diff = diffTraces(degraded, healthy);
    expect(diff.onlyIn).toEqual({ a: 2, b: 0 });
    expect(diff.rows.find((row) => row.name === 'inventory check availability')?.notes).toEqual({ a: ['fallback'], b: [] });
  });

  it('does not match a span whose path differs, even with the same name', () => {
    const moved = [span('root', '', 'order', 'POST /orders', 0, 10), span('x', 'root', 'order', 'other', 1, 5), span('pay', 'x', 'order', 'payment charge', 2, 3)];
    const diff = diffTraces(healthy, moved);
    expect(diff.matched).toBe(1);
    // B's starts 2 ms into its trace, A's 40 ms into its own: rows follow the start within each trace.
    expect(diff.rows.filter((row) => row.name === 'payment charge').map((row) => [row.depth, !!row.a, !!row.b])).toEqual([
      [2, false, true],
      [1, true, false],
    ]);
  });

  it('notes a call an open breaker refused', () => {
    const refused = [span('root', '', 'order', 'POST /orders', 0, 10), guard('g', 1, 2, { 'resilience.retry.attempt': '0', 'resilience.circuit_breaker.state': 'open' })];
    const row = diffTraces(healthy, refused).rows[1];
    expect(row).toMatchObject({ name: 'inventory check availability', deltaMs: -28, notes: { a: [], b: ['rejected by order->inventory'] } });
  });

  it('compares with an empty trace without failing', () => {
    expect(diffTraces(healthy, [])).toMatchObject({ matched: 0, onlyIn: { a: 5, b: 0 } });
  });
});

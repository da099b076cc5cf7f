import { describe, expect, it } from 'vitest';
import { resilienceOverlays, withRejectedRows } from './resilienceOverlays';
import { buildTree, visibleRows } from './rows';
import { waterfallSpan } from './testSpans';
import type { WaterfallSpan } from '@/lib/contract/traces';

const span = waterfallSpan;

/** The demo helper's guarded span: its configuration, then what happened (docs/resilience-telemetry.md). */
const guarded = (spanId: string, startMs: number, durationMs: number, happened: Record<string, string>, parentSpanId = 'root') =>
  span(spanId, parentSpanId, startMs, durationMs, {
    name: 'inventory check availability',
    resilience: {
      'resilience.circuit_breaker.name': 'order->inventory',
      'resilience.timeout.ms': '100',
      'resilience.retry.max_attempts': '3',
      'resilience.circuit_breaker.failure_threshold': '5',
      'resilience.circuit_breaker.half_open_after_ms': '5000',
      'resilience.idempotent': 'true',
      ...happened,
    },
  });
const client = (spanId: string, parentSpanId: string, startMs: number, durationMs: number, resendCount?: number) =>
  span(spanId, parentSpanId, startMs, durationMs, {
    name: 'GET',
    kind: 'Client',
    resilience: resendCount === undefined ? {} : { 'http.request.resend_count': String(resendCount) },
  });

const overlaysOf = (spans: WaterfallSpan[]) => resilienceOverlays(buildTree(spans), spans);

describe('resilienceOverlays', () => {
  const root = span('root', '', 0, 1_000, { kind: 'Server' });
  // Two attempts time out at 100 ms, 50 ms and 120 ms of backoff, the third answers; a server span under each.
  const retried = [
    root,
    guarded('g', 10, 500, { 'resilience.retry.attempt': '2', 'resilience.circuit_breaker.state': 'closed', 'resilience.fallback.used': 'false' }),
    client('a1', 'g', 10, 100),
    client('a2', 'g', 160, 100, 1),
    client('a3', 'g', 380, 30, 2),
    span('s1', 'a1', 12, 200, { kind: 'Server', service: 'inventory' }),
  ];

  it('numbers the attempts of a guarded call out of the most it may make, and marks those that ran into the timeout', () => {
    const { attempts } = overlaysOf(retried);
    expect([...attempts]).toEqual([
      ['a1', { attempt: 1, of: 3, timedOut: true }],
      ['a2', { attempt: 2, of: 3, timedOut: true }],
      ['a3', { attempt: 3, of: 3, timedOut: false }],
    ]);
  });

  it('draws the backoff gaps between attempts and a deadline at each attempt start plus the timeout', () => {
    const guard = overlaysOf(retried).guards.get('g');
    expect(guard).toMatchObject({
      breaker: 'order->inventory',
      timeoutMs: 100,
      deadlinesMs: [110, 260, 480],
      backoffGaps: [
        { startMs: 110, endMs: 160 },
        { startMs: 260, endMs: 380 },
      ],
      fallback: false,
      rejected: null,
      queueWait: null,
    });
  });

  it('gives a call the open breaker refused after a failed attempt a rejected attempt at its end, after the backoff, and shows the fallback', () => {
    const spans = [
      root,
      guarded('g', 0, 300, { 'resilience.retry.attempt': '1', 'resilience.circuit_breaker.state': 'open', 'resilience.fallback.used': 'true' }),
      client('a1', 'g', 0, 40),
    ];
    const guard = overlaysOf(spans).guards.get('g');
    expect(guard).toMatchObject({ rejected: { atMs: 300, attempt: 2, of: 3 }, fallback: true, deadlinesMs: [100], backoffGaps: [{ startMs: 40, endMs: 300 }] });
  });

  it('refused at once (the breaker was open before the call): the only attempt is the rejected one, with no deadline', () => {
    const spans = [root, guarded('g', 0, 2, { 'resilience.retry.attempt': '0', 'resilience.circuit_breaker.state': 'open', 'resilience.fallback.used': 'false' })];
    expect(overlaysOf(spans).guards.get('g')).toMatchObject({ rejected: { atMs: 2, attempt: 1, of: 3 }, deadlinesMs: [], backoffGaps: [] });
  });

  it('shades the time queued in the bulkhead and moves the first deadline after it when no attempt has a span', () => {
    const spans = [
      root,
      guarded('g', 100, 90, {
        'resilience.bulkhead.limit': '10',
        'resilience.bulkhead.queue': '20',
        'resilience.bulkhead.queue_wait_ms': '40',
        'resilience.retry.attempt': '0',
        'resilience.circuit_breaker.state': 'closed',
      }),
    ];
    expect(overlaysOf(spans).guards.get('g')).toMatchObject({ queueWait: { startMs: 100, endMs: 140 }, deadlinesMs: [240] });
  });

  it('leaves spans without resilience attributes alone, and an unparsable number unset', () => {
    const spans = [root, client('c', 'root', 0, 5), guarded('g', 0, 5, { 'resilience.timeout.ms': 'soon', 'resilience.bulkhead.queue_wait_ms': '0' })];
    const { guards, attempts } = overlaysOf(spans);
    expect([...guards.keys()]).toEqual(['g']);
    expect(guards.get('g')).toMatchObject({ timeoutMs: null, deadlinesMs: [], queueWait: null });
    expect(attempts.size).toBe(0);
  });

  it('numbers no attempts under a guarded client span: its children are the callee’s', () => {
    const guardedClient = { ...guarded('g', 0, 50, { 'resilience.retry.attempt': '0' }), kind: 'Client' };
    const spans = [root, guardedClient, span('s', 'g', 1, 40, { kind: 'Server', service: 'inventory' })];
    const { guards, attempts } = overlaysOf(spans);
    expect(attempts.size).toBe(0);
    expect(guards.get('g')?.deadlinesMs).toEqual([100]);
  });

  it('counts attempts from the span when their children are missing (1 of 1 when not retried)', () => {
    const spans = [root, guarded('g', 0, 5, { 'resilience.retry.max_attempts': '1', 'resilience.retry.attempt': '0' }), client('c', 'g', 0, 4)];
    expect(overlaysOf(spans).attempts.get('c')).toEqual({ attempt: 1, of: 1, timedOut: false });
  });
});

describe('withRejectedRows', () => {
  const spans = [
    span('root', '', 0, 1_000, { kind: 'Server' }),
    guarded('g', 0, 300, { 'resilience.retry.attempt': '1', 'resilience.circuit_breaker.state': 'open' }),
    client('a1', 'g', 0, 40),
    span('s1', 'a1', 1, 30, { kind: 'Server', service: 'inventory' }),
    span('after', 'root', 400, 10),
  ];
  const tree = buildTree(spans);
  const overlays = resilienceOverlays(tree, spans);
  const labels = (collapsed: Set<string>) =>
    withRejectedRows(visibleRows(tree, collapsed), overlays).map((row) =>
      row.kind === 'span' ? `${'-'.repeat(row.row.depth)}${row.row.span.spanId}` : `${'-'.repeat(row.depth)}rejected by ${row.breaker} (${row.attempt}/${row.of})`,
    );

  it('puts the rejected attempt after the guarded call’s subtree, one level under it', () => {
    expect(labels(new Set())).toEqual(['root', '-g', '--a1', '---s1', '--rejected by order->inventory (2/3)', '-after']);
  });

  it('closes it at the end of the trace too, and hides it under a collapsed call', () => {
    expect(labels(new Set(['root']))).toEqual(['root']);
    expect(labels(new Set(['g']))).toEqual(['root', '-g', '-after']);
    const last = spans.filter((s) => s.spanId !== 'after');
    const lastTree = buildTree(last);
    expect(withRejectedRows(visibleRows(lastTree, new Set()), resilienceOverlays(lastTree, last)).at(-1)).toMatchObject({ kind: 'rejected', depth: 2 });
  });
});

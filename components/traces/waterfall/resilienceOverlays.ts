/**
 * What the waterfall draws over a guarded call (docs/resilience-telemetry.md), derived from the span
 * attributes alone: its attempts numbered, the backoff gaps between them, each attempt's timeout as a
 * deadline, the time queued in a bulkhead, a fallback, and the attempt an open breaker refused
 * (which has no span of its own, so it gets a row of its own).
 */
import type { SpanTree, WaterfallRow } from './rows';
import type { WaterfallSpan } from '@/lib/contract/traces';

export type Interval = { startMs: number; endMs: number };

export type GuardOverlay = {
  breaker: string;
  timeoutMs: number | null;
  /** When each attempt's timeout runs out. */
  deadlinesMs: number[];
  /** The time waited in the bulkhead's queue, from the call's start. */
  queueWait: Interval | null;
  backoffGaps: Interval[];
  fallback: boolean;
  /** The attempt the open breaker refused: always the last, since a refusal is never retried. */
  rejected: { atMs: number; attempt: number; of: number } | null;
};

export type AttemptMark = { attempt: number; of: number; timedOut: boolean };

export type ResilienceOverlays = {
  guards: ReadonlyMap<string, GuardOverlay>;
  attempts: ReadonlyMap<string, AttemptMark>;
};

const number = (value: string | undefined): number | null => {
  if (value === undefined || value === '') return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
};

/** A guarded call is a span that names its breaker or carries a resilience policy's configuration. */
export function isGuardedCall(span: WaterfallSpan): boolean {
  const { resilience } = span;
  return 'resilience.circuit_breaker.name' in resilience || 'resilience.timeout.ms' in resilience || 'resilience.retry.attempt' in resilience;
}

/**
 * The spans of a guarded call's attempts: its client children (the outbound calls), else all its
 * children; none when the guarded call is itself the client span (its children are the callee's).
 */
function attemptSpans(guard: WaterfallSpan, children: readonly WaterfallSpan[]): WaterfallSpan[] {
  if (guard.kind === 'Client') return [];
  const clients = children.filter((child) => child.kind === 'Client');
  return clients.length > 0 ? clients : [...children];
}

export function resilienceOverlays(tree: SpanTree<WaterfallSpan>, spans: readonly WaterfallSpan[]): ResilienceOverlays {
  const guards = new Map<string, GuardOverlay>();
  const attempts = new Map<string, AttemptMark>();
  for (const span of spans) {
    if (!isGuardedCall(span)) continue;
    const attributes = span.resilience;
    const endMs = span.startMs + span.durationMs;
    const tries = attemptSpans(span, tree.childrenOf.get(span.spanId) ?? []);
    const refused = attributes['resilience.circuit_breaker.state'] === 'open';
    const made = Math.max(tries.length + (refused ? 1 : 0), (number(attributes['resilience.retry.attempt']) ?? 0) + 1);
    const of = Math.max(number(attributes['resilience.retry.max_attempts']) ?? made, made);
    const timeoutMs = number(attributes['resilience.timeout.ms']);
    const queuedMs = number(attributes['resilience.bulkhead.queue_wait_ms']);
    const firstAttemptMs = span.startMs + (queuedMs ?? 0);

    tries.forEach((attempt, i) => {
      attempts.set(attempt.spanId, { attempt: i + 1, of, timedOut: timeoutMs !== null && attempt.durationMs >= timeoutMs });
    });
    const starts = tries.length > 0 ? tries.map((attempt) => attempt.startMs) : refused ? [] : [firstAttemptMs];
    const backoffGaps: Interval[] = [];
    for (let i = 1; i < tries.length; i++) {
      const previous = tries[i - 1] as WaterfallSpan;
      const gap = { startMs: previous.startMs + previous.durationMs, endMs: (tries[i] as WaterfallSpan).startMs };
      if (gap.endMs > gap.startMs) backoffGaps.push(gap);
    }
    const last = tries[tries.length - 1];
    // The refusal is instant and the last thing the call did before its fallback: drawn at its end.
    const rejected = refused ? { atMs: endMs, attempt: tries.length + 1, of } : null;
    if (rejected && last && last.startMs + last.durationMs < endMs) backoffGaps.push({ startMs: last.startMs + last.durationMs, endMs });

    guards.set(span.spanId, {
      breaker: attributes['resilience.circuit_breaker.name'] ?? attributes['resilience.policy.name'] ?? span.name,
      timeoutMs,
      deadlinesMs: timeoutMs === null ? [] : starts.map((start) => start + timeoutMs),
      queueWait: queuedMs && queuedMs > 0 ? { startMs: span.startMs, endMs: Math.min(endMs, span.startMs + queuedMs) } : null,
      backoffGaps,
      fallback: attributes['resilience.fallback.used'] === 'true',
      rejected,
    });
  }
  return { guards, attempts };
}

export type DisplayRow =
  | { kind: 'span'; row: WaterfallRow<WaterfallSpan> }
  | { kind: 'rejected'; guardSpanId: string; depth: number; breaker: string; atMs: number; attempt: number; of: number };

/**
 * The visible rows with a "rejected by <breaker>" row after the subtree of each guarded call an open
 * breaker refused (none under a collapsed call: its attempts are hidden too).
 */
export function withRejectedRows(rows: readonly WaterfallRow<WaterfallSpan>[], overlays: ResilienceOverlays): DisplayRow[] {
  const display: DisplayRow[] = [];
  const pending: Extract<DisplayRow, { kind: 'rejected' }>[] = [];
  const flush = (depth: number) => {
    while (pending.length > 0 && (pending[pending.length - 1] as { depth: number }).depth > depth) display.push(pending.pop() as DisplayRow);
  };
  for (const row of rows) {
    flush(row.depth);
    display.push({ kind: 'span', row });
    const guard = overlays.guards.get(row.span.spanId);
    if (guard?.rejected && !row.collapsed) {
      pending.push({ kind: 'rejected', guardSpanId: row.span.spanId, depth: row.depth + 1, breaker: guard.breaker, ...guard.rejected });
    }
  }
  flush(-1);
  return display;
}

/**
 * Two traces side by side: spans matched by service and operation path (the service and name of each
 * span from the root down to it), the n-th of same-named siblings with the n-th. What only one trace
 * has is its extra work (retries, fallbacks, calls a breaker refused); durations of matched spans
 * give the delta.
 */
import { resilienceOverlays } from '../waterfall/resilienceOverlays';
import { buildTree, type SpanTree } from '../waterfall/rows';
import { traceExtent } from '../waterfall/viewBounds';
import type { WaterfallSpan } from '@/lib/contract/traces';

export type Side = 'a' | 'b';

export type DiffRow = {
  /** The operation path with each step's occurrence, unique in the comparison. */
  key: string;
  depth: number;
  service: string;
  name: string;
  a: WaterfallSpan | null;
  b: WaterfallSpan | null;
  /** B's duration minus A's, when both have the span. */
  deltaMs: number | null;
  /** What the resilience attributes say each side's span was (`retry 2/3`, `fallback`, `rejected by …`). */
  notes: Record<Side, string[]>;
};

export type TraceDiff = {
  rows: DiffRow[];
  durationMs: Record<Side, number>;
  matched: number;
  onlyIn: Record<Side, number>;
};

type Node = { key: string; service: string; name: string; span: WaterfallSpan; children: Node[] };

const step = (span: WaterfallSpan) => `${span.service}\u0000${span.name}`;

/** Each trace's tree with every span keyed by its path, same-named siblings numbered in start order. */
function keyed(tree: SpanTree<WaterfallSpan>): Node[] {
  const nodesOf = (spans: readonly WaterfallSpan[], parentKey: string): Node[] => {
    const seen = new Map<string, number>();
    return spans.map((span) => {
      const occurrence = seen.get(step(span)) ?? 0;
      seen.set(step(span), occurrence + 1);
      return { key: `${parentKey}/${step(span)}#${occurrence}`, service: span.service, name: span.name, span, children: [] };
    });
  };
  const roots = nodesOf(tree.roots, '');
  // Iterative: a trace can be a chain thousands of spans deep.
  const stack = [...roots];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    node.children = nodesOf(tree.childrenOf.get(node.span.spanId) ?? [], node.key);
    stack.push(...node.children);
  }
  return roots;
}

function notesOf(spans: readonly WaterfallSpan[], tree: SpanTree<WaterfallSpan>): Map<string, string[]> {
  const { guards, attempts } = resilienceOverlays(tree, spans);
  const notes = new Map<string, string[]>();
  const add = (spanId: string, note: string) => notes.set(spanId, [...(notes.get(spanId) ?? []), note]);
  for (const [spanId, attempt] of attempts) if (attempt.attempt > 1) add(spanId, `retry ${attempt.attempt}/${attempt.of}`);
  for (const [spanId, guard] of guards) {
    if (guard.fallback) add(spanId, 'fallback');
    if (guard.rejected) add(spanId, `rejected by ${guard.breaker}`);
  }
  return notes;
}

export function diffTraces(a: readonly WaterfallSpan[], b: readonly WaterfallSpan[]): TraceDiff {
  const trees = { a: buildTree(a), b: buildTree(b) };
  const notes = { a: notesOf(a, trees.a), b: notesOf(b, trees.b) };
  const extents = { a: traceExtent(a), b: traceExtent(b) };
  const offset = { a: extents.a.startMs, b: extents.b.startMs };
  const rows: DiffRow[] = [];
  const counts = { matched: 0, a: 0, b: 0 };

  type Pair = { a?: Node; b?: Node; depth: number };
  // Children of both sides merged by key, in the order they started (relative to their trace).
  const merge = (left: Node[], right: Node[], depth: number): Pair[] => {
    const pairs = new Map<string, Pair>();
    for (const node of left) pairs.set(node.key, { a: node, depth });
    for (const node of right) pairs.set(node.key, { ...pairs.get(node.key), b: node, depth });
    const relativeStart = (pair: Pair) => (pair.a ? pair.a.span.startMs - offset.a : (pair.b as Node).span.startMs - offset.b);
    return [...pairs.values()].sort((x, y) => relativeStart(x) - relativeStart(y));
  };
  const stack = merge(keyed(trees.a), keyed(trees.b), 0).reverse();
  while (stack.length > 0) {
    const pair = stack.pop() as Pair;
    const node = (pair.a ?? pair.b) as Node;
    const spanA = pair.a?.span ?? null;
    const spanB = pair.b?.span ?? null;
    if (spanA && spanB) counts.matched++;
    else if (spanA) counts.a++;
    else counts.b++;
    rows.push({
      key: node.key,
      depth: pair.depth,
      service: node.service,
      name: node.name,
      a: spanA,
      b: spanB,
      deltaMs: spanA && spanB ? spanB.durationMs - spanA.durationMs : null,
      notes: { a: (spanA && notes.a.get(spanA.spanId)) || [], b: (spanB && notes.b.get(spanB.spanId)) || [] },
    });
    stack.push(...merge(pair.a?.children ?? [], pair.b?.children ?? [], pair.depth + 1).reverse());
  }
  return { rows, durationMs: { a: extents.a.endMs - extents.a.startMs, b: extents.b.endMs - extents.b.startMs }, matched: counts.matched, onlyIn: { a: counts.a, b: counts.b } };
}

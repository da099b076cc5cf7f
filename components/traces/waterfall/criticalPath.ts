/**
 * The critical path: the chain of spans that determined the trace's end-to-end time. Walking back from
 * a span's end, the last child to finish before the cursor is on the path; the cursor then moves to that
 * child's start, and each chosen child is walked the same way inside its own window.
 */
import type { SpanTree, TimedSpan } from './rows';

const endOf = (span: TimedSpan) => span.startMs + span.durationMs;

export function criticalPath<S extends TimedSpan>(tree: SpanTree<S>): Set<string> {
  const onPath = new Set<string>();
  const root = tree.roots.reduce<S | undefined>((latest, span) => (!latest || endOf(span) > endOf(latest) ? span : latest), undefined);
  if (!root) return onPath;
  const stack: { span: S; until: number }[] = [{ span: root, until: endOf(root) }];
  while (stack.length > 0) {
    const { span, until } = stack.pop() as { span: S; until: number };
    if (onPath.has(span.spanId)) continue;
    onPath.add(span.spanId);
    let cursor = Math.min(endOf(span), until);
    const children = [...(tree.childrenOf.get(span.spanId) ?? [])].sort((a, b) => endOf(b) - endOf(a));
    for (const child of children) {
      // Work that started after the cursor ran in parallel with what we already counted.
      if (child.startMs >= cursor) continue;
      stack.push({ span: child, until: cursor });
      cursor = child.startMs;
    }
  }
  return onPath;
}

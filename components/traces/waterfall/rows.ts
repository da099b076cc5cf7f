/**
 * The waterfall's pure core: spans → a tree → the rows currently visible given the collapsed spans.
 * Iterative throughout, because a 10,000-span trace can be a 10,000-deep chain.
 */

export type TimedSpan = { spanId: string; parentSpanId: string; startMs: number; durationMs: number; name: string };

export type SpanTree<S extends TimedSpan> = {
  roots: S[];
  childrenOf: ReadonlyMap<string, S[]>;
  /** Spans under each span, at any depth: what collapsing it hides. */
  descendantCount: ReadonlyMap<string, number>;
};

const byStart = (a: TimedSpan, b: TimedSpan) => a.startMs - b.startMs || a.name.localeCompare(b.name);

/**
 * Spans whose parent is missing from the trace (not yet arrived, or dropped) become roots, so nothing
 * is hidden; a parent cycle in bad data is broken at the earliest span of the cycle.
 */
export function buildTree<S extends TimedSpan>(spans: readonly S[]): SpanTree<S> {
  const ids = new Set(spans.map((span) => span.spanId));
  const childrenOf = new Map<string, S[]>();
  const roots: S[] = [];
  for (const span of spans) {
    if (span.parentSpanId && span.parentSpanId !== span.spanId && ids.has(span.parentSpanId)) {
      const siblings = childrenOf.get(span.parentSpanId) ?? [];
      siblings.push(span);
      childrenOf.set(span.parentSpanId, siblings);
    } else {
      roots.push(span);
    }
  }
  for (const siblings of childrenOf.values()) siblings.sort(byStart);
  roots.sort(byStart);

  const reached = new Set<string>();
  const descendantCount = new Map<string, number>();
  const walk = (root: S) => {
    // Post-order without recursion: count a span's descendants once all its children are counted.
    const stack: { span: S; expanded: boolean }[] = [{ span: root, expanded: false }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { span: S; expanded: boolean };
      if (!top.expanded) {
        top.expanded = true;
        reached.add(top.span.spanId);
        for (const child of childrenOf.get(top.span.spanId) ?? []) {
          if (!reached.has(child.spanId)) stack.push({ span: child, expanded: false });
        }
        continue;
      }
      stack.pop();
      const children = childrenOf.get(top.span.spanId) ?? [];
      descendantCount.set(top.span.spanId, children.reduce((sum, child) => sum + 1 + (descendantCount.get(child.spanId) ?? 0), 0));
    }
  };
  roots.forEach(walk);
  for (const span of [...spans].sort(byStart)) {
    if (reached.has(span.spanId)) continue;
    roots.push(span);
    walk(span);
  }
  return { roots, childrenOf, descendantCount };
}

export type WaterfallRow<S extends TimedSpan> = { span: S; depth: number; childCount: number; collapsed: boolean };

/** Depth-first rows in start order, skipping the subtrees of collapsed spans. */
export function visibleRows<S extends TimedSpan>(tree: SpanTree<S>, collapsed: ReadonlySet<string>): WaterfallRow<S>[] {
  const rows: WaterfallRow<S>[] = [];
  const emitted = new Set<string>();
  const stack: { span: S; depth: number }[] = [...tree.roots].reverse().map((span) => ({ span, depth: 0 }));
  while (stack.length > 0) {
    const { span, depth } = stack.pop() as { span: S; depth: number };
    if (emitted.has(span.spanId)) continue;
    emitted.add(span.spanId);
    const children = tree.childrenOf.get(span.spanId) ?? [];
    const isCollapsed = collapsed.has(span.spanId) && children.length > 0;
    rows.push({ span, depth, childCount: children.length, collapsed: isCollapsed });
    if (isCollapsed) continue;
    for (let i = children.length - 1; i >= 0; i--) stack.push({ span: children[i] as S, depth: depth + 1 });
  }
  return rows;
}

/** The spans to collapse so that only the first `depth` levels show. */
export function collapsedBeyond<S extends TimedSpan>(tree: SpanTree<S>, depth: number): Set<string> {
  return new Set(
    visibleRows(tree, new Set())
      .filter((row) => row.depth === depth - 1 && row.childCount > 0)
      .map((row) => row.span.spanId),
  );
}

/** `collapsed` without the ancestors of `spanId`, so that span becomes visible (the same set if it is). */
export function revealed<S extends TimedSpan>(collapsed: ReadonlySet<string>, spans: readonly S[], spanId: string): ReadonlySet<string> {
  const parentOf = new Map(spans.map((span) => [span.spanId, span.parentSpanId]));
  const next = new Set(collapsed);
  const seen = new Set<string>();
  for (let id = parentOf.get(spanId); id && !seen.has(id); id = parentOf.get(id)) {
    seen.add(id);
    next.delete(id);
  }
  return next.size === collapsed.size ? collapsed : next;
}

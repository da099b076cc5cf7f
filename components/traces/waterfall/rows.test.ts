import { describe, expect, it } from 'vitest';
import { buildTree, collapsedBeyond, revealed, visibleRows, type TimedSpan } from './rows';

const span = (spanId: string, parentSpanId: string, startMs: number, durationMs = 10): TimedSpan => ({
  spanId,
  parentSpanId,
  startMs,
  durationMs,
  name: spanId,
});

const ids = (rows: { span: TimedSpan; depth: number }[]) => rows.map((row) => `${'-'.repeat(row.depth)}${row.span.spanId}`);

describe('buildTree and visibleRows', () => {
  const spans = [span('c2', 'a', 5), span('a', '', 0, 100), span('c1', 'a', 1), span('g', 'c1', 2)];

  it('lists spans depth-first with children in start order', () => {
    expect(ids(visibleRows(buildTree(spans), new Set()))).toEqual(['a', '-c1', '--g', '-c2']);
  });

  it('hides the subtree of a collapsed span but keeps the span', () => {
    const rows = visibleRows(buildTree(spans), new Set(['c1']));
    expect(ids(rows)).toEqual(['a', '-c1', '-c2']);
    expect(rows[1]).toMatchObject({ collapsed: true, childCount: 1 });
  });

  it('ignores collapsing a leaf', () => {
    expect(visibleRows(buildTree(spans), new Set(['g']))[2]).toMatchObject({ collapsed: false });
  });

  it('counts descendants at every depth', () => {
    const tree = buildTree(spans);
    expect(tree.descendantCount.get('a')).toBe(3);
    expect(tree.descendantCount.get('c1')).toBe(1);
    expect(tree.descendantCount.get('g')).toBe(0);
  });

  it('shows spans whose parent is missing as roots', () => {
    expect(ids(visibleRows(buildTree([span('x', 'gone', 3), span('a', '', 0)]), new Set()))).toEqual(['a', 'x']);
  });

  it('still shows every span when bad data makes a parent cycle', () => {
    const rows = visibleRows(buildTree([span('p', 'q', 0), span('q', 'p', 1), span('r', '', 2)]), new Set());
    expect(rows.map((row) => row.span.spanId).sort()).toEqual(['p', 'q', 'r']);
  });

  it('handles a 10,000-deep chain without recursion', () => {
    const chain = Array.from({ length: 10_000 }, (_, i) => span(`s${i}`, i === 0 ? '' : `s${i - 1}`, i));
    const rows = visibleRows(buildTree(chain), new Set());
    expect(rows).toHaveLength(10_000);
    expect(rows.at(-1)?.depth).toBe(9_999);
  });

  it('collapses everything below a depth', () => {
    expect([...collapsedBeyond(buildTree(spans), 1)]).toEqual(['a']);
    expect(ids(visibleRows(buildTree(spans), collapsedBeyond(buildTree(spans), 2)))).toEqual(['a', '-c1', '-c2']);
  });
});

describe('revealed', () => {
  const spans = [span('a', '', 0), span('b', 'a', 1), span('c', 'b', 2), span('d', '', 3)];

  it('expands every collapsed ancestor of a span and nothing else', () => {
    expect([...revealed(new Set(['a', 'b', 'd']), spans, 'c')]).toEqual(['d']);
  });

  it('returns the same set when the span is already visible', () => {
    const collapsed = new Set(['d']);
    expect(revealed(collapsed, spans, 'c')).toBe(collapsed);
  });
});

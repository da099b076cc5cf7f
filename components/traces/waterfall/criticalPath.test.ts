import { describe, expect, it } from 'vitest';
import { criticalPath } from './criticalPath';
import { buildTree, type TimedSpan } from './rows';

const span = (spanId: string, parentSpanId: string, startMs: number, durationMs: number): TimedSpan => ({
  spanId,
  parentSpanId,
  startMs,
  durationMs,
  name: spanId,
});

describe('criticalPath', () => {
  it('follows sequential children that fill the parent', () => {
    const tree = buildTree([span('root', '', 0, 100), span('a', 'root', 0, 40), span('b', 'root', 50, 40)]);
    expect([...criticalPath(tree)].sort()).toEqual(['a', 'b', 'root']);
  });

  it('keeps only the longer of two parallel children', () => {
    const tree = buildTree([span('root', '', 0, 100), span('slow', 'root', 10, 80), span('fast', 'root', 10, 20)]);
    expect([...criticalPath(tree)].sort()).toEqual(['root', 'slow']);
  });

  it('descends into the chosen child', () => {
    const tree = buildTree([
      span('root', '', 0, 100),
      span('call', 'root', 5, 90),
      span('db', 'call', 10, 70),
      span('cache', 'call', 12, 3),
      span('early', 'root', 0, 4),
    ]);
    expect([...criticalPath(tree)].sort()).toEqual(['call', 'db', 'early', 'root']);
  });

  it('is empty for an empty trace', () => {
    expect(criticalPath(buildTree([])).size).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration';
import { LoadStats, percentile } from './stats';

describe('load statistics', () => {
  it('take the nearest-rank percentile', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });

  it('count 4xx, 5xx and unanswered requests as errors, per kind and status', () => {
    const stats = new LoadStats();
    stats.record('browse', 200, 5);
    stats.record('checkout', 503, 50);
    stats.record('checkout', 0, 10_000);
    stats.record('signin', 401, 3);
    const summary = stats.summary();
    expect(summary.requests).toBe(4);
    expect(summary.errors).toBe(3);
    expect(summary.byKind.checkout).toEqual({ requests: 2, errors: 2 });
    expect(summary.byStatus).toEqual({ '200': 1, '503': 1, 'no answer': 1, '401': 1 });
  });
});

describe('durations', () => {
  it('read ms, s, m and h, and bare seconds', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('12')).toBe(12_000);
  });

  it('refuse what they cannot read', () => {
    expect(parseDuration('five minutes')).toBeUndefined();
  });
});

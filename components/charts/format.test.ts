import { describe, expect, it } from 'vitest';
import { formatMs, formatPercent, formatRate, formatSpan } from './format';

describe('formatting', () => {
  it('picks a unit that keeps durations short', () => {
    expect([0.25, 4.56, 123.4, 2500, 90_000, null].map(formatMs)).toEqual(['250 µs', '4.6 ms', '123 ms', '2.50 s', '1.5 min', '—']);
  });

  it('shows slow rates per minute rather than as tiny fractions per second', () => {
    expect([0, 0.05, 0.016, 0.0005, 2.345, 250].map(formatRate)).toEqual(['0/s', '3.0/min', '0.96/min', '1.8/h', '2.3/s', '250/s']);
  });

  it('keeps one decimal for small percentages', () => {
    expect([0, 0.0004, 0.025, 0.5].map(formatPercent)).toEqual(['0%', '<0.1%', '2.5%', '50%']);
  });

  it('writes durations in the two largest units', () => {
    expect([5_000, 200_000, 3_900_000].map(formatSpan)).toEqual(['5s', '3m 20s', '1h 5m']);
  });
});

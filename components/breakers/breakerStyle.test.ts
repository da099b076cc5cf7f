import { describe, expect, it } from 'vitest';
import { errorRateColor, rateCircleSize } from './breakerStyle';

describe('breaker styling', () => {
  it('colours error rates at the Hystrix thresholds', () => {
    expect([0.05, 0.1, 0.3, 0.45, 0.5].map(errorRateColor)).toEqual(['#22c55e', '#a3e635', '#facc15', '#f97316', '#ef4444']);
  });

  it('grows the circle with the call rate but keeps it bounded', () => {
    expect(rateCircleSize(0)).toBe(14);
    expect(rateCircleSize(9)).toBe(24);
    expect(rateCircleSize(999)).toBe(44);
  });
});

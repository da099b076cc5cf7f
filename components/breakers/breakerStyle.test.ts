import { describe, expect, it } from 'vitest';
import { errorRateColor, rateCircleSize, settingsText } from './breakerStyle';

describe('breaker styling', () => {
  it('colours error rates at the Hystrix thresholds', () => {
    expect([0.05, 0.1, 0.3, 0.45, 0.5].map(errorRateColor)).toEqual(['#22c55e', '#a3e635', '#facc15', '#f97316', '#ef4444']);
  });

  it('grows the circle with the call rate but keeps it bounded', () => {
    expect(rateCircleSize(0)).toBe(14);
    expect(rateCircleSize(9)).toBe(24);
    expect(rateCircleSize(999)).toBe(44);
  });

  it('says what the breaker is configured to do, with what its spans tell', () => {
    expect(settingsText({ failureThreshold: 5, halfOpenAfterMs: 5000 })).toBe('trips after 5 consecutive failures, half-open after 5 s');
    expect(settingsText({ failureThreshold: 1, halfOpenAfterMs: null })).toBe('trips after 1 consecutive failure');
    expect(settingsText({ failureThreshold: null, halfOpenAfterMs: 2500 })).toBe('half-open after 2.50 s');
    expect(settingsText({ failureThreshold: null, halfOpenAfterMs: null })).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { ChaosUsageError, parseFlagValue } from './chaos';

describe('chaos flag values', () => {
  it('reads on and off as 1 and 0', () => {
    expect(parseFlagValue('on')).toBe(1);
    expect(parseFlagValue('off')).toBe(0);
  });

  it('reads probabilities and percentages', () => {
    expect(parseFlagValue('0.25')).toBe(0.25);
    expect(parseFlagValue('30%')).toBeCloseTo(0.3);
  });

  it('refuses anything else with the accepted forms', () => {
    expect(() => parseFlagValue('sometimes')).toThrow(ChaosUsageError);
    expect(() => parseFlagValue('150%')).toThrow(/probability 0..1 or a percentage/);
  });
});

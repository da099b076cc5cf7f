import { describe, expect, it } from 'vitest';
import { stateFromGauge, stateFromWord, toSegments, transitionsOf } from './breakerStates';

describe('breaker state vocabulary', () => {
  it('maps gauge values 0, 1 and 2 to closed, half-open and open', () => {
    expect([0, 1, 2, 7, null].map(stateFromGauge)).toEqual(['closed', 'half-open', 'open', 'unknown', 'unknown']);
  });

  it('accepts the spellings libraries use for half-open', () => {
    expect(['half-open', 'HALF_OPEN', 'halfOpen', 'half open'].map(stateFromWord)).toEqual(Array(4).fill('half-open'));
  });
});

describe('toSegments', () => {
  it('starts unknown until the first observation and ends at the range end', () => {
    expect(toSegments([{ timeMs: 10, state: 'closed' }], 0, 100)).toEqual([
      { state: 'unknown', startMs: 0, endMs: 10 },
      { state: 'closed', startMs: 10, endMs: 100 },
    ]);
  });

  it('merges repeated observations of one state', () => {
    const changes = [
      { timeMs: 0, state: 'closed' as const },
      { timeMs: 20, state: 'closed' as const },
      { timeMs: 30, state: 'open' as const },
      { timeMs: 40, state: 'open' as const },
      { timeMs: 60, state: 'closed' as const },
    ];
    expect(toSegments(changes, 0, 100)).toEqual([
      { state: 'closed', startMs: 0, endMs: 30 },
      { state: 'open', startMs: 30, endMs: 60 },
      { state: 'closed', startMs: 60, endMs: 100 },
    ]);
  });

  it('carries a state observed before the range into its start', () => {
    expect(toSegments([{ timeMs: -50, state: 'open' }, { timeMs: 40, state: 'closed' }], 0, 100)).toEqual([
      { state: 'open', startMs: 0, endMs: 40 },
      { state: 'closed', startMs: 40, endMs: 100 },
    ]);
  });

  it('sorts observations that arrive out of order', () => {
    expect(toSegments([{ timeMs: 50, state: 'open' }, { timeMs: 0, state: 'closed' }], 0, 100).map((s) => s.state)).toEqual([
      'closed',
      'open',
    ]);
  });
});

describe('transitionsOf', () => {
  it('lists each change of state but not the first sighting', () => {
    const segments = toSegments(
      [
        { timeMs: 10, state: 'closed' },
        { timeMs: 30, state: 'open' },
        { timeMs: 60, state: 'half-open' },
        { timeMs: 65, state: 'closed' },
      ],
      0,
      100,
    );
    expect(transitionsOf(segments)).toEqual([
      { timeMs: 30, from: 'closed', to: 'open' },
      { timeMs: 60, from: 'open', to: 'half-open' },
      { timeMs: 65, from: 'half-open', to: 'closed' },
    ]);
  });
});

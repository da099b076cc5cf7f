import { describe, expect, it } from 'vitest';
import { parseRange, parseRefresh, rangeKey, refreshInterval, resolveRange } from './timeRange';

const params = (query: string) => new URLSearchParams(query);

describe('time ranges in the URL', () => {
  it('reads a preset and falls back on an unknown one', () => {
    expect(parseRange(params('range=6h'))).toEqual({ kind: 'preset', preset: '6h' });
    expect(parseRange(params('range=7y'), '15m')).toEqual({ kind: 'preset', preset: '15m' });
  });

  it('prefers a valid custom range over the preset', () => {
    expect(parseRange(params('range=6h&from=1000&to=2000'))).toEqual({ kind: 'custom', from: 1000, to: 2000 });
  });

  it('ignores a custom range whose end is not after its start', () => {
    expect(parseRange(params('from=2000&to=1000'))).toEqual({ kind: 'preset', preset: '1h' });
  });

  it('resolves a preset relative to now', () => {
    expect(resolveRange({ kind: 'preset', preset: '15m' }, 1_000_000)).toEqual({ from: 100_000, to: 1_000_000 });
  });

  it('keys presets by name so a sliding window keeps its cache entry', () => {
    expect(rangeKey({ kind: 'preset', preset: '1h' })).toBe('1h');
    expect(rangeKey({ kind: 'custom', from: 1, to: 2 })).toBe('1-2');
  });

  it('never auto-refreshes a custom range', () => {
    expect(refreshInterval(parseRefresh(params('refresh=5s'), 'off'), { kind: 'custom', from: 1, to: 2 })).toBe(false);
    expect(refreshInterval(parseRefresh(params('refresh=5s'), 'off'), { kind: 'preset', preset: '1h' })).toBe(5000);
  });
});

import { describe, expect, it } from 'vitest';
import { maxFutureSkewMs, outsideWindow, timeWindow, type Refused } from './timeWindow';

const nowMs = Date.UTC(2026, 0, 15, 12);
const nanos = (ms: number) => BigInt(ms) * 1_000_000n;
const dayMs = 86_400_000;

function place(timeMs: number, retentionDays: number): Refused {
  const refused: Refused = { invalid: 0, tooOld: 0, tooNew: 0 };
  outsideWindow(nanos(timeMs), timeWindow(nowMs, retentionDays), refused);
  return refused;
}

describe('timeWindow', () => {
  it('with 7 days of retention refuses what is older than 7 days, keeps the edge', () => {
    expect(place(nowMs - 7 * dayMs - 1, 7)).toEqual({ invalid: 0, tooOld: 1, tooNew: 0 });
    expect(place(nowMs - 7 * dayMs, 7)).toEqual({ invalid: 0, tooOld: 0, tooNew: 0 });
  });

  it('with retention 0 finds nothing too old, not even the Unix epoch', () => {
    expect(place(0, 0)).toEqual({ invalid: 0, tooOld: 0, tooNew: 0 });
  });

  it('refuses what is more than a day ahead, whatever the retention', () => {
    expect(maxFutureSkewMs).toBe(dayMs);
    expect(place(nowMs + dayMs + 1, 0)).toEqual({ invalid: 0, tooOld: 0, tooNew: 1 });
    expect(place(nowMs + dayMs, 7)).toEqual({ invalid: 0, tooOld: 0, tooNew: 0 });
  });
});

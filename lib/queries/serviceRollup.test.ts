import { describe, expect, it } from 'vitest';
import { bucketMs, histogramPercentiles, rollupSegments } from './serviceRollup';

const minute = 60_000;
const hour = 3_600_000;
// Midnight UTC of today: the segments are computed in UTC milliseconds, whatever the date.
const day = Math.floor(Date.now() / 86_400_000) * 86_400_000;

describe('rollupSegments', () => {
  it('reads whole hours from hour rows, whole minutes from minute rows, and the seconds at the edges from spans', () => {
    const from = day + 10 * hour + 59 * minute - 5_000;
    const to = day + 13 * hour + 2 * minute + 7_000;
    expect(rollupSegments({ from, to })).toEqual([
      { source: 'spans', from, to: day + 10 * hour + 59 * minute },
      { source: 60, from: day + 10 * hour + 59 * minute, to: day + 11 * hour },
      { source: 3600, from: day + 11 * hour, to: day + 13 * hour },
      { source: 60, from: day + 13 * hour, to: day + 13 * hour + 2 * minute },
      { source: 'spans', from: day + 13 * hour + 2 * minute, to },
    ]);
  });

  it('uses minute rows alone when no whole hour fits, and leaves out empty edges', () => {
    expect(rollupSegments({ from: day + 5 * minute, to: day + 50 * minute + 1 })).toEqual([
      { source: 60, from: day + 5 * minute, to: day + 50 * minute },
      { source: 'spans', from: day + 50 * minute, to: day + 50 * minute + 1 },
    ]);
    expect(rollupSegments({ from: day, to: day + 2 * hour })).toEqual([{ source: 3600, from: day, to: day + 2 * hour }]);
  });

  it('reads a range inside one minute from spans', () => {
    expect(rollupSegments({ from: day + 1_000, to: day + 59_000 })).toEqual([{ source: 'spans', from: day + 1_000, to: day + 59_000 }]);
  });
});

describe('histogramPercentiles', () => {
  it('returns the middle of the bucket holding the duration at each nearest rank', () => {
    // 10 durations: 4 in bucket 700, 5 in bucket 710, 1 in bucket 800. Bucket i's middle is 2^((i + 0.5) / 32) ns.
    const latency = { '710': 5, '700': 4, '800': 1 };
    const percentiles = histogramPercentiles(latency, [0.4, 0.5, 0.9, 0.91, 1]);
    expect(percentiles.map((ms) => ms?.toFixed(6))).toEqual(['3.888076', '4.828438', '4.828438', '33.919816', '33.919816']);
  });

  it('is null for an empty histogram', () => {
    expect(histogramPercentiles({}, [0.5])).toEqual([null]);
  });

  it('keeps every duration within 1.1% of its bucket middle', () => {
    for (const ms of [0.001, 0.37, 1, 2, 99, 1234.5]) {
      const index = Math.ceil(Math.log2(ms * 1e6) * 32) - 1;
      expect(Math.abs(bucketMs(index) / ms - 1)).toBeLessThanOrEqual(0.011);
    }
  });
});

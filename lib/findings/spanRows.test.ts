import { describe, expect, it } from 'vitest';
import { slowWindows } from './spanRows';

const minute = 60_000;
const hour = 60 * minute;

describe('slowWindows', () => {
  const judged = new Map([
    ['order', { timeoutMs: 100, callers: ['gateway'] }],
    ['user', { timeoutMs: 800, callers: ['gateway'] }],
  ]);
  const range = { from: 30 * minute, to: 3 * hour + 30 * minute };
  const bucket = (callee: string, startMs: number, lengthMs: number, longestMs: number) => ({ callee, startMs, lengthMs, longestMs });

  it("keeps the buckets whose longest answer outlasts the callee's shortest timeout, merged where they touch and cut to the range", () => {
    const windows = slowWindows(
      [
        bucket('order', 3 * hour, minute, 150),
        bucket('order', 29 * minute, minute, 101),
        bucket('order', 30 * minute, 10 * minute, 99),
        bucket('order', hour, hour, 400),
        bucket('order', 2 * hour, hour, 100),
        bucket('order', 59 * minute, minute, 120),
        bucket('user', hour, hour, 700),
        bucket('unjudged', hour, hour, 9000),
      ],
      judged,
      range,
    );
    expect(windows).toEqual(
      new Map([
        [
          'order',
          [
            { from: 59 * minute, to: 2 * hour },
            { from: 3 * hour, to: 3 * hour + minute },
          ],
        ],
      ]),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BadParameterError, BadTimeRangeError } from './errors';
import { parseInput, pickStepSeconds, timeRangeFields } from './input';
import { bucketTimes, mergeDependencies } from './queries/services';
import { traceSearchArrayKeys, traceSearchInput } from './queries/traceSearch';

const params = (query: string) => new URLSearchParams(query);
const rangeSchema = z.object(timeRangeFields);

describe('parseInput', () => {
  it('turns query-string text into typed values', () => {
    expect(parseInput(rangeSchema, params('from=1000&to=2000'))).toEqual({ from: 1000, to: 2000 });
  });

  it('names the field in the message of a refused value', () => {
    expect(() => parseInput(rangeSchema, params('from=soon&to=2000'))).toThrow(
      new BadParameterError('from: must be a time in milliseconds since the epoch'),
    );
  });

  it('refuses a range that ends before it starts, with its own code', () => {
    expect(() => parseInput(rangeSchema, params('from=2000&to=1000'))).toThrow(BadTimeRangeError);
  });

  it('refuses a range longer than 31 days', () => {
    expect(() => parseInput(rangeSchema, params(`from=0&to=${32 * 86_400_000}`))).toThrow(/longer than 31 days/);
  });

  it('collects repeated parameters into a list and ignores empty ones', () => {
    const input = parseInput(traceSearchInput, params('from=1&to=2&attr=a%3D1&attr=b%3Dx%3Dy&service='), traceSearchArrayKeys);
    expect(input.attr).toEqual([
      { key: 'a', value: '1' },
      { key: 'b', value: 'x=y' },
    ]);
    expect(input.service).toBeUndefined();
    expect(input.limit).toBe(100);
  });

  it('refuses an attribute filter without =', () => {
    expect(() => parseInput(traceSearchInput, params('from=1&to=2&attr=oops'), traceSearchArrayKeys)).toThrow('attr.0: must look like key=value');
  });

  it('refuses a trace id that is not 32 hex characters and lower-cases a good one', () => {
    expect(() => parseInput(traceSearchInput, params('from=1&to=2&traceId=xyz'))).toThrow('traceId: must be 32 hexadecimal characters');
    expect(parseInput(traceSearchInput, params(`from=1&to=2&traceId=${'AB'.repeat(16)}`)).traceId).toBe('ab'.repeat(16));
  });
});

describe('pickStepSeconds', () => {
  it('picks the smallest round step giving at most the wanted number of buckets', () => {
    expect(pickStepSeconds({ from: 0, to: 15 * 60_000 })).toBe(10);
    expect(pickStepSeconds({ from: 0, to: 86_400_000 })).toBe(900);
    expect(pickStepSeconds({ from: 0, to: 86_400_000 }, 60)).toBe(1800);
  });
});

describe('bucketTimes', () => {
  it('lists aligned bucket starts covering the range', () => {
    expect(bucketTimes({ from: 90_000, to: 300_000 }, 60)).toEqual([60_000, 120_000, 180_000, 240_000]);
  });
});

describe('mergeDependencies', () => {
  it('prefers the instrumented edge over the peer name of the same service, and sorts by calls', () => {
    const merged = mergeDependencies([
      { direction: 'downstream', service: 'payment', calls: 5, errors: 0, external: 1 },
      { direction: 'downstream', service: 'payment', calls: 4, errors: 1, external: 0 },
      { direction: 'downstream', service: 'sqlite', calls: 9, errors: 0, external: 1 },
      { direction: 'upstream', service: 'gateway', calls: 2, errors: 0, external: 0 },
    ]);
    expect(merged.downstream).toEqual([
      { service: 'sqlite', calls: 9, errors: 0, errorRate: 0, external: true },
      { service: 'payment', calls: 4, errors: 1, errorRate: 0.25, external: false },
    ]);
    expect(merged.upstream.map((d) => d.service)).toEqual(['gateway']);
  });
});

import { describe, expect, it } from 'vitest';
import { numberLabel } from './numberLabel';

describe('numberLabel', () => {
  it('spells a finding’s number keys for people, with milliseconds as a unit', () => {
    expect(['calleeP95Ms', 'timeoutMs', 'attemptsPerCall', 'queueWaitShare', 'calls'].map(numberLabel)).toEqual([
      'callee p95 (ms)',
      'timeout (ms)',
      'attempts per call',
      'queue wait share',
      'calls',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { classify, StoreWriteError } from './errors';

describe('classify', () => {
  it("answers a store out of disk space 503 with Retry-After, whether ClickHouse or the system says so", () => {
    for (const message of [
      'Code: 243. DB::Exception: Cannot reserve 1.00 MiB, not enough space. (NOT_ENOUGH_SPACE) (version 26.7.2.1)',
      'Code: 74. DB::ErrnoException: Cannot write to file /data/store/tmp_insert_all_1_1_0/data.bin: , errno: 28, strerror: No space left on device. (CANNOT_WRITE_TO_FILE_DESCRIPTOR)',
    ]) {
      const answer = classify(new StoreWriteError(message));
      expect([answer.status, answer.code, answer.retryAfterSeconds]).toEqual([503, 'FAULTLINE_ERR_STORE_FULL', 5]);
      expect(answer.message).toMatch(/^ClickHouse has no disk space left/);
    }
  });

  it('answers any other failed insert 503 as the store being unavailable', () => {
    const answer = classify(new StoreWriteError('Code: 60. DB::Exception: Table faultline.otel_traces does not exist. (UNKNOWN_TABLE)'));
    expect([answer.status, answer.code, answer.retryAfterSeconds]).toEqual([503, 'FAULTLINE_ERR_STORE_UNAVAILABLE', 5]);
  });
});

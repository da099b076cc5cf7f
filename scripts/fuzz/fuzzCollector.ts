/**
 * The collector's settings under fuzzing: a 1 MiB body limit, so that gzip bombs just over it stay
 * cheap to make, and batches flushed after 5 ms, so that acknowledged bodies are answered quickly.
 */
export const fuzzMaxBodyBytes = 1024 * 1024;

export const fuzzCollectorEnv = { FAULTLINE_MAX_BODY_BYTES: String(fuzzMaxBodyBytes), FAULTLINE_BATCH_MAX_DELAY_MS: '5' };

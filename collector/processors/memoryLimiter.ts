/**
 * Bounds the bytes held by requests in flight (decoded rows waiting for their insert). Past the
 * limit a request is refused with 429 at once instead of queueing without bound.
 */
import { collectorErrors } from '../errors';

export class MemoryLimiter {
  private inflight = 0;

  constructor(private readonly limitBytes: number) {}

  get inflightBytes(): number {
    return this.inflight;
  }

  /** Throws the retryable overload error if `bytes` more would pass the limit; reserves nothing. */
  check(bytes: number): void {
    if (this.inflight > 0 && this.inflight + bytes > this.limitBytes) throw collectorErrors.overloaded();
  }

  /** Reserves `bytes`, or throws the retryable overload error. Pair with `release`. */
  admit(bytes: number): void {
    this.check(bytes);
    this.inflight += bytes;
  }

  release(bytes: number): void {
    this.inflight -= bytes;
  }
}

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

  /** Reserves `bytes`, or throws the retryable overload error. Pair with `release`. */
  admit(bytes: number): void {
    if (this.inflight > 0 && this.inflight + bytes > this.limitBytes) throw collectorErrors.overloaded();
    this.inflight += bytes;
  }

  release(bytes: number): void {
    this.inflight -= bytes;
  }
}

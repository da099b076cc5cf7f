/**
 * Error classes for the demo services. Each carries a stable code and the HTTP
 * status it maps to, so the HTTP layer can answer without guessing and a caller
 * can branch on `code` rather than on message text.
 */

export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidRequestError extends AppError {
  constructor(message: string, details?: unknown) {
    super('FAULTLINE_ERR_INVALID_REQUEST', 400, message, details);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Sign in first: send "Authorization: Bearer <token>" from POST /api/signin.') {
    super('FAULTLINE_ERR_UNAUTHENTICATED', 401, message);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super('FAULTLINE_ERR_NOT_FOUND', 404, message);
  }
}

export class OutOfStockError extends AppError {
  constructor(message: string, details?: unknown) {
    super('FAULTLINE_ERR_OUT_OF_STOCK', 409, message, details);
  }
}

export class InvalidTransitionError extends AppError {
  constructor(message: string) {
    super('FAULTLINE_ERR_INVALID_TRANSITION', 409, message);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super('FAULTLINE_ERR_PAYLOAD_TOO_LARGE', 413, `Request body is larger than ${limitBytes} bytes.`);
  }
}

export class UnknownFaultFlagError extends AppError {
  constructor(name: string, known: readonly string[]) {
    super('FAULTLINE_ERR_UNKNOWN_FAULT_FLAG', 400, `Unknown fault flag "${name}". Known flags: ${known.join(', ')}.`);
  }
}

/** An injected fault: the simulated dependency fails the way a real one would (503, transient). */
export class InjectedFaultError extends AppError {
  constructor(readonly flag: string) {
    super('FAULTLINE_ERR_INJECTED_FAULT', 503, `Fault injected by flag "${flag}".`);
  }
}

/**
 * A dependency failed in a way that says nothing about the request: a 5xx, a
 * refused connection, a reset. `transient` marks failures worth retrying.
 */
export class DependencyError extends AppError {
  constructor(
    readonly dependency: string,
    message: string,
    readonly transient: boolean,
    readonly upstreamStatus?: number,
  ) {
    super('FAULTLINE_ERR_DEPENDENCY_FAILED', 502, message);
  }
}

/** A dependency could not be called at all (breaker open, bulkhead full, timed out) and no fallback applied. */
export class DependencyUnavailableError extends AppError {
  constructor(
    readonly dependency: string,
    readonly reason: 'circuit_open' | 'bulkhead_full' | 'timeout' | 'failed',
    message: string,
  ) {
    super('FAULTLINE_ERR_DEPENDENCY_UNAVAILABLE', 503, message);
  }
}

/** A dependency refused the request with a 4xx; its code and message pass through to our caller. */
export class UpstreamRejectedError extends AppError {
  constructor(
    readonly dependency: string,
    code: string,
    status: number,
    message: string,
  ) {
    super(code, status, message);
  }
}

export class CardDeclinedError extends AppError {
  constructor(message = 'The card was declined.') {
    super('FAULTLINE_ERR_CARD_DECLINED', 402, message);
  }
}

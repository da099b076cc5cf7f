/**
 * Faultline's errors, for the dashboard's API and the collector alike. Each has a stable code a client
 * can switch on and the HTTP status it is answered with; the message names the field or the limit and
 * says what would be accepted.
 */
export class FaultlineError extends Error {
  constructor(
    readonly code: `FAULTLINE_ERR_${string}`,
    readonly status: number,
    message: string,
    /** Each refused field with what is wrong with it, for a form to show beside the field. */
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'FaultlineError';
  }
}

export class BadParameterError extends FaultlineError {
  constructor(message: string, fields?: Record<string, string>) {
    super('FAULTLINE_ERR_BAD_PARAMETER', 400, message, fields);
  }
}

export class BadTimeRangeError extends FaultlineError {
  constructor(message: string) {
    super('FAULTLINE_ERR_BAD_TIME_RANGE', 400, message);
  }
}

/** The request was made against a version of a resource that has changed since. */
export class ConflictError extends FaultlineError {
  constructor(message: string) {
    super('FAULTLINE_ERR_CONFLICT', 409, message);
  }
}

/** A write sent by a page of another site (cross-site request forgery), not by the dashboard. */
export class CrossOriginWriteError extends FaultlineError {
  constructor(message: string) {
    super('FAULTLINE_ERR_CROSS_ORIGIN', 403, message);
  }
}

export class NotFoundError extends FaultlineError {
  constructor(message: string) {
    super('FAULTLINE_ERR_NOT_FOUND', 404, message);
  }
}

export class StoreUnavailableError extends FaultlineError {
  constructor() {
    super(
      'FAULTLINE_ERR_STORE_UNAVAILABLE',
      503,
      'No store is open in this process: serve the dashboard with `npm start` or `npm run ui`, not `next start`.',
    );
  }
}

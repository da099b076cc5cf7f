import { ApiError } from './fetchJson';

/** A 4xx is the user's input: retrying can't fix it, and the message should show at once. A 5xx may pass. */
export function retryServerErrors(failures: number, error: unknown): boolean {
  return !(error instanceof ApiError && error.status < 500) && failures < 2;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

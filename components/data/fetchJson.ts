/**
 * The only place the browser talks to the API. Data hooks call `getJson`; components never fetch.
 * An API error arrives as `{ error: { code, message, fields? } }` and becomes an `ApiError` whose message
 * is the API's, so pages can show it as it is, and forms each refused field's complaint beside it.
 */

export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    /** Each refused field with what is wrong with it, when the API names them. */
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type QueryValue = string | number | readonly string[] | undefined | null;

export function toSearch(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) value.forEach((item) => search.append(key, item));
    else search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export async function getJson<T>(path: string, params: Record<string, QueryValue> = {}, signal?: AbortSignal): Promise<T> {
  return answer<T>(await fetch(`${path}${toSearch(params)}`, { signal, headers: { accept: 'application/json' } }));
}

/** Replaces a text resource (e.g. the SLO file) and returns the API's JSON answer. */
export async function putText<T>(path: string, text: string, headers: Record<string, string> = {}): Promise<T> {
  return answer<T>(await fetch(path, { method: 'PUT', body: text, headers: { accept: 'application/json', 'content-type': 'text/plain', ...headers } }));
}

/** Sends a JSON body (or none) with `method` and returns the API's JSON answer. */
export async function sendJson<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
  return answer<T>(await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
}

async function answer<T>(response: Response): Promise<T> {
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string; fields?: Record<string, string> } } | null)?.error;
    throw new ApiError(
      error?.code ?? 'FAULTLINE_ERR_HTTP',
      response.status,
      error?.message ?? `The API answered ${response.status} ${response.statusText}`,
      error?.fields,
    );
  }
  return body as T;
}

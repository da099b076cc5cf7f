/**
 * JSON over node:http (not fetch: the HTTP instrumentation patches node:http,
 * so each call gets a client span and carries `traceparent`). Failures are
 * classified here once: a 4xx passes through as UpstreamRejectedError, a 5xx or
 * a broken connection becomes a DependencyError, transient when worth retrying.
 */
// The default import on purpose: the instrumentation patches `http.request` on the module
// object, and a named import would keep the unpatched function.
import http from 'node:http';
import { DependencyError, UpstreamRejectedError } from './errors';

// Keep-alive: a new TCP connection per call would dominate loopback latency.
const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });

const TRANSIENT_STATUSES = new Set([429, 502, 503, 504]);
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

export interface JsonRequest {
  method?: 'GET' | 'POST';
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export function callJson<T>(dependency: string, url: string, options: JsonRequest = {}): Promise<T> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise<T>((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: options.method ?? 'GET',
        agent,
        signal: options.signal,
        headers: {
          accept: 'application/json',
          ...(payload !== undefined && { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => reject(classify(dependency, error)));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString('utf8');
          const json = text ? safeParse(text) : undefined;
          if (status >= 200 && status < 300) return resolve(json as T);
          const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
          const message = `${dependency} answered ${status}: ${error?.message ?? text.slice(0, 200)}`;
          if (status >= 400 && status < 500 && status !== 429) {
            return reject(new UpstreamRejectedError(dependency, error?.code ?? 'FAULTLINE_ERR_UPSTREAM', status, error?.message ?? message));
          }
          reject(new DependencyError(dependency, message, TRANSIENT_STATUSES.has(status), status));
        });
      },
    );
    req.on('error', (error) => reject(classify(dependency, error)));
    req.end(payload);
  });
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function classify(dependency: string, error: Error): Error {
  // An abort comes from our own timeout policy, which reports it itself.
  if (error.name === 'AbortError') return error;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return new DependencyError(dependency, `${dependency} unreachable: ${error.message}`, TRANSIENT_CODES.has(code) || error.message === 'socket hang up');
}

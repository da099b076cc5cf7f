/**
 * A small JSON HTTP server: routes with `:params`, a capped JSON body, errors
 * mapped from their class to a status and `{ error: { code, message } }`, one
 * access-log line per request with `latency_ms`, and the route on the server span.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { trace } from '@opentelemetry/api';
import type { z } from 'zod';
import { AppError, InvalidRequestError, NotFoundError, PayloadTooLargeError } from './errors';
import type { Logger } from './logger';
import { runWithRequestContext } from './requestContext';

const MAX_BODY_BYTES = 64 * 1024;

export type HttpMethod = 'GET' | 'POST';

export interface RequestContext {
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface Reply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: HttpMethod;
  path: string;
  handler: (request: RequestContext) => Promise<Reply> | Reply;
}

interface CompiledRoute extends Route {
  pattern: RegExp;
  paramNames: string[];
}

function compile(route: Route): CompiledRoute {
  const paramNames: string[] = [];
  const source = route.path.replace(/:(\w+)/g, (_match, name: string) => {
    paramNames.push(name);
    return '([^/]+)';
  });
  return { ...route, pattern: new RegExp(`^${source}$`), paramNames };
}

/** Validates input against a zod schema; the error names each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || '(root)', message: issue.message }));
  const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  throw new InvalidRequestError(`Invalid ${what}: ${summary}.`, fields);
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new InvalidRequestError('The request body is not valid JSON.');
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = body === undefined ? '' : JSON.stringify(body);
  // Lets a client (or a test) go from any answer straight to its trace.
  const traceId = trace.getActiveSpan()?.spanContext().traceId;
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    ...(traceId && { 'x-trace-id': traceId }),
    ...headers,
  });
  res.end(payload);
}

export function createHttpServer(routes: Route[], logger: Logger): Server {
  const compiled = routes.map(compile);
  return createServer((req, res) => {
    runWithRequestContext(() => {
      void handle(compiled, logger, req, res);
    });
  });
}

async function handle(routes: CompiledRoute[], logger: Logger, req: IncomingMessage, res: ServerResponse) {
  const started = performance.now();
  const url = new URL(req.url ?? '/', 'http://localhost');
  let routePath = 'unmatched';
  let status = 500;
  try {
    const match = findRoute(routes, req.method ?? 'GET', url.pathname);
    if (!match) throw new NotFoundError(`No route for ${req.method} ${url.pathname}.`);
    routePath = match.route.path;
    const span = trace.getActiveSpan();
    span?.setAttribute('http.route', routePath);
    span?.updateName(`${req.method} ${routePath}`);
    const body = req.method === 'POST' ? await readJsonBody(req) : undefined;
    const reply = await match.route.handler({ params: match.params, query: url.searchParams, headers: req.headers, body });
    status = reply.status ?? 200;
    send(res, status, reply.body, reply.headers);
  } catch (error) {
    if (error instanceof AppError) {
      status = error.status;
      send(res, status, { error: { code: error.code, message: error.message, details: error.details } });
    } else {
      status = 500;
      logger.error({ err: error }, 'unhandled error');
      send(res, status, { error: { code: 'FAULTLINE_ERR_INTERNAL', message: 'Internal error; see the service log.' } });
    }
  }
  const fields = { method: req.method, route: routePath, status, latency_ms: Math.round((performance.now() - started) * 100) / 100 };
  if (routePath.startsWith('/health')) return;
  if (status >= 500) logger.error(fields, 'request failed');
  else logger.info(fields, 'request completed');
}

function findRoute(routes: CompiledRoute[], method: string, path: string) {
  for (const route of routes) {
    if (route.method !== method) continue;
    const found = route.pattern.exec(path);
    if (!found) continue;
    const params: Record<string, string> = {};
    route.paramNames.forEach((name, i) => (params[name] = decodeURIComponent(found[i + 1] ?? '')));
    return { route, params };
  }
  return undefined;
}

/** Listens and resolves with the bound port. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** Stops accepting, lets in-flight requests finish for a moment, then cuts idle keep-alive sockets. */
export function closeServer(server: Server, graceMs = 2000): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs).unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

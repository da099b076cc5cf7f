/**
 * Who may use the dashboard, decided by the custom server (server/dashboardServer.ts) before Next.js
 * sees the request, so pages, API routes and static files are covered alike. A request signed in as
 * accessCheck.ts says (a trusted proxy's header, the password as Bearer or Basic, the session cookie)
 * goes on; `/login` sets the session cookie once the password is typed in, `/logout` clears it.
 *
 * `/api/health` stays open for probes. Anyone else gets a 401 JSON error under `/api/`, and the
 * sign-in page (or a 401, with only a proxy to sign in through) elsewhere.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UiAuthConfig } from '@/lib/config';
import { accessCheck, sessionCookieName } from './accessCheck';
import { loginPage } from './loginPage';
import { sameSecret, sessionSeconds } from './secrets';

/**
 * Resolves true when the request may go on to Next.js; false once it has been answered here.
 * `nonce` is the request's CSP nonce (server/securityHeaders.ts), for the sign-in page.
 */
export type Gate = (req: IncomingMessage, res: ServerResponse, nonce: string) => Promise<boolean>;

const maxFormBytes = 8 * 1024;

/**
 * The gate for these settings, or undefined when the dashboard is open to anyone who reaches it:
 * on a loopback host with no sign-in configured, or with FAULTLINE_UI_AUTH=none. Throws on any
 * other host with no sign-in configured.
 */
export function dashboardGate(host: string, auth: UiAuthConfig): Gate | undefined {
  const access = accessCheck('The dashboard', host, auth);
  if (!access) return undefined;
  const { password } = auth;
  const { signedIn, signer } = access;

  async function login(req: IncomingMessage, res: ServerResponse, url: URL, nonce: string): Promise<void> {
    if (req.method === 'GET' || req.method === 'HEAD') return sendLoginPage(res, 200, { next: localPath(url.searchParams.get('next')), refused: false, nonce });
    if (req.method !== 'POST') return methodNotAllowed(res, 'GET, POST');
    const form = new URLSearchParams(await readForm(req));
    const next = localPath(form.get('next'));
    if (!sameSecret(form.get('password') ?? '', password!)) return sendLoginPage(res, 401, { next, refused: true, nonce });
    res.writeHead(303, { location: next, 'set-cookie': sessionCookie(req, signer!.issue(Date.now()), sessionSeconds), 'cache-control': 'no-store' });
    res.end();
  }

  function logout(req: IncomingMessage, res: ServerResponse): void {
    // POST only: a link on another site must not be able to sign the user out.
    if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
    res.writeHead(303, { location: '/login', 'set-cookie': sessionCookie(req, '', 0), 'cache-control': 'no-store' });
    res.end();
  }

  function refuse(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const how = password === undefined ? 'Sign in through the authenticating proxy in front of Faultline.' : 'Sign in at /login, or send Authorization: Bearer <FAULTLINE_UI_PASSWORD>.';
    if (url.pathname.startsWith('/api/')) {
      res.writeHead(401, {
        'content-type': 'application/json',
        'cache-control': 'no-store',
        ...(password === undefined ? {} : { 'www-authenticate': 'Bearer realm="Faultline"' }),
      });
      res.end(JSON.stringify({ error: { code: 'FAULTLINE_ERR_UNAUTHENTICATED', message: `This API needs a signed-in user. ${how}` } }));
    } else if (password !== undefined && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(303, { location: `/login?next=${encodeURIComponent(url.pathname + url.search)}`, 'cache-control': 'no-store' });
      res.end();
    } else {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(how);
    }
  }

  return async (req, res, nonce) => {
    const url = new URL(req.url ?? '/', 'http://dashboard');
    if (url.pathname === '/api/health') return true;
    if (password !== undefined && url.pathname === '/login') await login(req, res, url, nonce);
    else if (password !== undefined && url.pathname === '/logout') logout(req, res);
    else if (signedIn(req)) return true;
    else refuse(req, res, url);
    return false;
  };
}

/** Where to go after signing in: a path on this dashboard, never another site (`//evil.example`). */
function localPath(next: string | null): string {
  const base = 'http://dashboard';
  const url = new URL(next ?? '/', base);
  return url.origin === base ? url.pathname + url.search : '/';
}

function sendLoginPage(res: ServerResponse, status: number, page: Parameters<typeof loginPage>[0]): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(loginPage(page));
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  res.writeHead(405, { allow, 'content-type': 'text/plain; charset=utf-8' });
  res.end(`Method not allowed: use ${allow}.`);
}

/**
 * Lax rather than Strict: a link into the dashboard from an alert (the SLO webhooks carry one) or a
 * chat must open the page signed in. Lax still keeps the cookie off other sites' POST, PUT and DELETE
 * requests, and no GET changes anything. Secure when a TLS-terminating proxy says the page is https.
 */
function sessionCookie(req: IncomingMessage, value: string, maxAgeSeconds: number): string {
  const https = String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]?.trim() === 'https';
  return `${sessionCookieName}=${value}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${https ? '; Secure' : ''}`;
}

async function readForm(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > maxFormBytes) break; // a sign-in form is a few dozen bytes; the rest is ignored
  }
  return text;
}

/**
 * Hosts the production Next.js build of the dashboard on a plain Node http server, so the dashboard can
 * share a process (and so the one embedded chDB engine) with the collector. `next start` can't do that:
 * it owns its process. Run `next build` first; this serves `.next/` from `dir`. Every request gets the
 * security headers (./securityHeaders.ts) and, unless the dashboard is open, passes the sign-in gate
 * (./auth/gate.ts) before Next.js sees it.
 */
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import type { UiAuthConfig } from '@/lib/config';
import { signOutOfferedHeader } from '@/lib/host';
import { dashboardGate } from './auth/gate';
import { applySecurityHeaders } from './securityHeaders';
import { listen } from './listen';

export type DashboardOptions = {
  host: string;
  /** 0 picks a free port; the returned url carries the real one. */
  port: number;
  /** The project directory holding `.next/`; defaults to the repository root. */
  dir?: string;
  auth: UiAuthConfig;
};

export type Dashboard = { url: string; close(): Promise<void> };

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  // Before anything starts: an exposed dashboard with no sign-in stops here with its message.
  const gate = dashboardGate(options.host, options.auth);
  const app = next({ dev: false, dir: options.dir ?? repoRoot, hostname: options.host, port: options.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const serve = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const nonce = applySecurityHeaders(req, res);
    if (gate !== undefined && !(await gate(req, res, nonce))) return;
    if (options.auth.password === undefined) delete req.headers[signOutOfferedHeader];
    else req.headers[signOutOfferedHeader] = '1';
    await handle(req, res);
  };
  const server = http.createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      console.error('dashboard request failed', error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Internal Server Error');
    });
  });
  const listening = await listen(server, options.host, options.port);
  return {
    url: listening.url,
    async close() {
      await listening.close();
      await app.close();
    },
  };
}

/**
 * Hosts the production Next.js build of the dashboard on a plain Node http server, so the dashboard can
 * share a process (and so the one embedded chDB engine) with the collector. `next start` can't do that:
 * it owns its process. Run `next build` first; this serves `.next/` from `dir`.
 */
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { listen } from './listen';

export type DashboardOptions = {
  host: string;
  /** 0 picks a free port; the returned url carries the real one. */
  port: number;
  /** The project directory holding `.next/`; defaults to the repository root. */
  dir?: string;
};

export type Dashboard = { url: string; close(): Promise<void> };

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const app = next({ dev: false, dir: options.dir ?? repoRoot, hostname: options.host, port: options.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
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

/**
 * `npm start`'s process (`server/start.ts`: store, collector, dashboard, and the demo shop when asked)
 * as a child on free ports over a fresh data directory, for the overload script, with its
 * resident memory read from /proc (Linux).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { freePort } from '../demo-services/launcher';
import { DEFAULT_PORTS, PORT_ENV } from '../demo-services/shared/config';
import { ownStackEnv } from '../tests/support/ownStackEnv';

export type StackProcess = { child: ChildProcess; pid: number; uiUrl: string; otlpUrl: string; stop(): Promise<void> };

/** Starts the stack with `env` added (FAULTLINE_DEMO=0 for Faultline alone); resolves once it prints its URLs. */
export async function startStackProcess(dataDir: string, env: Record<string, string>): Promise<StackProcess> {
  const demoPorts: Record<string, string> = {};
  for (const name of Object.keys(DEFAULT_PORTS) as (keyof typeof DEFAULT_PORTS)[]) demoPorts[PORT_ENV[name]] = String(await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/start.ts'], {
    env: { ...process.env, ...demoPorts, ...ownStackEnv(dataDir), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [uiUrl, otlpUrl] = await new Promise<[string, string]>((resolve, reject) => {
    let output = '';
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const ui = /Dashboard\s+(http:\/\/\S+)/.exec(output);
      const otlp = /OTLP\/HTTP\s+(http:\/\/\S+)/.exec(output);
      if (!ui || !otlp) return;
      // Keep draining the pipe, or the child blocks once it is full.
      child.stdout!.off('data', read).resume();
      resolve([ui[1]!, otlp[1]!]);
    };
    child.stdout!.on('data', read);
    child.once('exit', (code) => reject(new Error(`server/start.ts exited with ${code}:\n${output}`)));
  });
  return {
    child,
    pid: child.pid!,
    uiUrl,
    otlpUrl,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** Resident set size of a process in bytes (VmRSS). */
export function rssBytes(pid: number): number {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(line?.[1] ?? 0) * 1024;
}

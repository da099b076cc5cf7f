/**
 * Starts demo processes (the broker and each service) as children of this
 * process — `node --import tsx <entry>`, one process each, logs appended to
 * `<dataDir>/logs/<name>.log` — and waits until each is ready.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type DemoProcessName = 'broker' | 'gateway' | 'order' | 'payment' | 'user' | 'inventory' | 'notification';

export interface DemoProcess {
  name: DemoProcessName;
  child: ChildProcess;
  logFile: string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** A port the OS just reported free (another process could still take it before we bind). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export function spawnDemoProcess(name: DemoProcessName, env: NodeJS.ProcessEnv, logDir: string): DemoProcess {
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${name}.log`);
  const fd = openSync(logFile, 'a');
  const entry = fileURLToPath(new URL(`./${name}/index.ts`, import.meta.url));
  // The IPC channel is a lifeline: a child stops itself when it closes (see stopWithParent).
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { env, stdio: ['ignore', fd, fd, 'ipc'] });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    name,
    child,
    logFile,
    async stop(graceMs = 8000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The last lines of a process's log, for start-up error messages. */
export function logTail(logFile: string, lines = 15): string {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function poll(deadline: number, description: string, process: DemoProcess, probe: () => Promise<boolean>): Promise<void> {
  while (Date.now() < deadline) {
    if (process.child.exitCode !== null || process.child.signalCode !== null) {
      throw new Error(`${process.name} exited during start-up (${process.child.exitCode ?? process.child.signalCode}). Log ${process.logFile}:\n${logTail(process.logFile)}`);
    }
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${process.name} was not ready (${description}) in time. Log ${process.logFile}:\n${logTail(process.logFile)}`);
}

export function waitForHealth(process: DemoProcess, url: string, timeoutMs = 90_000): Promise<void> {
  return poll(Date.now() + timeoutMs, `GET ${url}/health`, process, async () => {
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
      return response.ok;
    } catch {
      return false;
    }
  });
}

export function waitForPort(process: DemoProcess, host: string, port: number, timeoutMs = 90_000): Promise<void> {
  return poll(Date.now() + timeoutMs, `TCP ${host}:${port}`, process, () =>
    new Promise((resolve) => {
      const socket = connect(port, host);
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    }),
  );
}

/**
 * A process's own directory for the files chDB reads with `FROM INFILE` (chDB takes a query as a C
 * string, so bulk data goes through a file), on /dev/shm where there is one. Each directory is named
 * `<prefix><pid>`; one left by a process that died is removed by the next that opens the same prefix.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Spool = {
  /** Writes `data` to a fresh file named after `name`, runs `use` with its path, then removes it. */
  withFile<T>(name: string, data: Uint8Array, use: (path: string) => Promise<T>): Promise<T>;
  close(): void;
};

export function openSpool(prefix: string): Spool {
  const root = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  removeAbandonedSpools(root, prefix);
  const dir = join(root, `${prefix}${process.pid}`);
  mkdirSync(dir, { recursive: true });
  let sequence = 0;
  return {
    async withFile(name, data, use) {
      const path = join(dir, `${name}-${sequence++}.bin`);
      await writeFile(path, data);
      try {
        return await use(path);
      } finally {
        await rm(path, { force: true });
      }
    },
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function removeAbandonedSpools(root: string, prefix: string): void {
  for (const name of readdirSync(root)) {
    const pid = Number(name.slice(prefix.length));
    if (!name.startsWith(prefix) || !Number.isInteger(pid) || isRunning(pid)) continue;
    rmSync(join(root, name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

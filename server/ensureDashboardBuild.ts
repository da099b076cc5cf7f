/**
 * Builds the dashboard (`next build`) when `.next/` is missing or older than the sources, so
 * `npm start` works on a fresh clone and after a `git pull` without a separate build step.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const sourceDirs = ['app', 'components', 'lib'];
const sourceFiles = ['next.config.ts', 'package-lock.json'];

function newestSourceMtime(): number {
  let newest = 0;
  const visit = (path: string) => {
    const stat = statSync(path);
    if (stat.isDirectory()) readdirSync(path).forEach((entry) => visit(join(path, entry)));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const dir of sourceDirs) if (existsSync(join(root, dir))) visit(join(root, dir));
  for (const file of sourceFiles) if (existsSync(join(root, file))) newest = Math.max(newest, statSync(join(root, file)).mtimeMs);
  return newest;
}

function isFresh(): boolean {
  const buildId = join(root, '.next', 'BUILD_ID');
  return existsSync(buildId) && statSync(buildId).mtimeMs >= newestSourceMtime();
}

/** Older than this, a lock was left by a process that died while building. */
const staleLockMs = 15 * 60_000;
const lockDir = join(root, '.next-build.lock');

/**
 * Processes that need the build at once (test files run in parallel) build it one at a time: the
 * others wait for the lock and find the build fresh.
 */
function withBuildLock(build: () => void): void {
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const held = statSync(lockDir, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > staleLockMs) rmSync(lockDir, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    build();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

export function ensureDashboardBuild(): void {
  if (isFresh()) return;
  withBuildLock(() => {
    if (isFresh()) return;
    console.log('Building the dashboard (next build), once per change of the sources…');
    const result = spawnSync(process.execPath, [join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    });
    if (result.status !== 0) throw new Error(`next build failed with exit code ${result.status}`);
  });
}

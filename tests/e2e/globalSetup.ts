/**
 * Starts the e2e stack process, waits for its READY line, and hands its URLs to the tests through
 * the environment (workers inherit it). The returned function stops the stack after the run.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { E2eStack } from './stack';

const startupTimeoutMs = 180_000;

export default async function globalSetup(): Promise<() => Promise<void>> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/e2e/stack.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const stack = await new Promise<E2eStack>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the e2e stack did not start within ${startupTimeoutMs / 1000} s`)), startupTimeoutMs);
    child.once('exit', (code) => reject(new Error(`the e2e stack exited with code ${code} before it was ready`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('READY ')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line.slice('READY '.length)) as E2eStack);
    });
  });
  process.env.E2E_STACK = JSON.stringify(stack);
  return async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
}

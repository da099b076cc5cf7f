/**
 * `npm start` as a user runs it, checked in the process table. A browser test only by its place: it
 * runs after `next build` (scripts/test-all.sh), so `npm start` finds the dashboard built.
 */
import { expect, test } from '@playwright/test';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePorts } from '../../demo-services/run';
import { PORT_ENV } from '../../demo-services/shared/config';

type ProcessRow = { pid: number; ppid: number; pgid: number; args: string };

function processTable(): ProcessRow[] {
  return execFileSync('ps', ['-eo', 'pid=,ppid=,pgid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .flatMap((match) => (match ? [{ pid: Number(match[1]), ppid: Number(match[2]), pgid: Number(match[3]), args: match[4]! }] : []));
}

/** The processes of group `pgid` and every process descended from its leader, wherever its group. */
function startedBy(pgid: number, table = processTable()): ProcessRow[] {
  const found = new Map(table.filter((row) => row.pgid === pgid).map((row) => [row.pid, row]));
  for (let grew = true; grew; ) {
    grew = false;
    for (const row of table) {
      if (!found.has(row.pid) && found.has(row.ppid)) {
        found.set(row.pid, row);
        grew = true;
      }
    }
  }
  return [...found.values()];
}

const isDemo = (row: ProcessRow) => row.args.includes('demo-services/');

/**
 * Runs `npm start` in a process group of its own, as a terminal would, until it prints that it is
 * ready; then Ctrl-C (SIGINT to the group). Returns what ran while it was up and what is left after.
 */
async function npmStartThenCtrlC(
  env: Record<string, string>,
  whileUp: (printed: string) => Promise<void> = async () => {},
): Promise<{ running: ProcessRow[]; left: ProcessRow[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'faultline-npm-start-'));
  const child = spawn('npm', ['start'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      FAULTLINE_DATA_DIR: dataDir,
      FAULTLINE_UI_PORT: '0',
      FAULTLINE_OTLP_PORT: '0',
      FAULTLINE_OTLP_GRPC_PORT: '0',
      FAULTLINE_ZIPKIN_PORT: '0',
      FAULTLINE_JAEGER_PORT: '0',
      DEMO_LOAD_RPS: '0',
      ...env,
    },
  });
  const pgid = child.pid!;
  try {
    let output = '';
    const exited = once(child, 'exit');
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ctrl-C stops everything.')) resolve();
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      void exited.then(() => reject(new Error(`npm start exited before it was ready:\n${output}`)));
    });
    const running = startedBy(pgid);
    await whileUp(output);

    process.kill(-pgid, 'SIGINT');
    // Stopping takes a moment (in-flight batches, the demo's services): wait for it, within a deadline.
    const remembered = new Set(running.map((row) => row.pid));
    const remaining = () => processTable().filter((row) => remembered.has(row.pid) || row.pgid === pgid);
    const deadline = Date.now() + 30_000;
    while (remaining().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    return { running, left: remaining() };
  } finally {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // The group is gone, as it should be.
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

test('FAULTLINE_DEMO=0 npm start starts no demo process, and Ctrl-C stops every process it started', async () => {
  const { running, left } = await npmStartThenCtrlC({ FAULTLINE_DEMO: '0' });
  expect(running.some((row) => row.args.includes('server/start.ts'))).toBe(true);
  expect(running.filter(isDemo).map((row) => row.args)).toEqual([]);
  expect(left.map((row) => row.args)).toEqual([]);
});

/** The URL `npm start` printed after `label`. */
function printedUrl(printed: string, label: string): string {
  const match = new RegExp(`${label}\\s+(http://\\S+)`).exec(printed);
  if (!match) throw new Error(`npm start printed no ${label} URL:\n${printed}`);
  return match[1]!;
}

test('OTEL_EXPORTER_OTLP_PROTOCOL=grpc npm start: the demo shop exports over OTLP/gRPC, and Ctrl-C stops every process it started', async () => {
  const ports = await findFreePorts();
  const portEnv = Object.fromEntries(Object.entries(PORT_ENV).map(([name, variable]) => [variable, String(ports[name as keyof typeof ports])]));
  const { running, left } = await npmStartThenCtrlC({ ...portEnv, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, async (printed) => {
    expect(printed).toContain('telemetry over OTLP/gRPC');
    const shop = printedUrl(printed, 'Demo shop');
    const jaeger = printedUrl(printed, 'Jaeger API');
    expect((await fetch(shop)).ok).toBe(true);
    // The gateway's spans reach the store only through the gRPC receiver.
    await expect
      .poll(async () => ((await (await fetch(`${jaeger}/api/services`)).json()) as { data: string[] }).data, { timeout: 60_000 })
      .toContain('gateway');
  });
  // The broker and the six services.
  expect(running.filter(isDemo).length).toBeGreaterThanOrEqual(7);
  expect(left.map((row) => row.args)).toEqual([]);
});

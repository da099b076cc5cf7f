/**
 * The collector as its own process (`server/collector.ts` on the embedded store), for tests that
 * kill it: a child on the data directory and OTLP/HTTP port given, the Zipkin and gRPC ports left
 * to the system.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export type CollectorProcess = {
  child: ChildProcess;
  /** The OTLP/HTTP base URL the collector printed once it was listening. */
  url: string;
  /** Everything it printed so far. */
  output(): string;
  /** Sends `signal` and resolves with the exit code (null when a signal ended it). */
  stop(signal: NodeJS.Signals): Promise<number | null>;
};

export async function spawnCollector(env: Record<string, string>): Promise<CollectorProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/collector.ts'], {
    env: { ...process.env, FAULTLINE_ZIPKIN_PORT: '0', FAULTLINE_OTLP_GRPC_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => (output += chunk.toString());
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const url = await new Promise<string>((resolve, reject) => {
    const check = () => {
      const match = /send OTLP\/HTTP to (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout.on('data', check);
    void exited.then(() => reject(new Error(`the collector exited before listening:\n${output}`)));
  });
  return {
    child,
    url,
    output: () => output,
    async stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const [code] = await exited;
      return code;
    },
  };
}

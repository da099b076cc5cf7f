/**
 * `npm run bench:overhead [-- --duration 20s --rounds 4 --concurrency 8 --collector]`:
 * what OpenTelemetry costs the demo shop, measured in one run. Two copies of the
 * shop run side by side — telemetry off (`OTEL_SDK_DISABLED=true`) and on
 * (traces, metrics and logs over OTLP/HTTP) — and closed-loop checkouts go
 * through each gateway in alternating rounds, so drift in the machine's load
 * hits both alike. Prints throughput, p50/p99 and CPU per checkout per mode and
 * as on/off ratios, and the CPU per checkout of each process.
 *
 * By default the "on" shop exports to a loopback receiver in this process that
 * accepts and drops everything: the figures are the services' own cost (SDK,
 * instrumentation, export), the cost an application pays whatever backend it
 * sends to. With `--collector` it exports to a real Faultline collector on the
 * embedded store instead, started on the same cores: the cost of running the
 * shop and its telemetry backend on one machine, with the collector's CPU per
 * checkout shown on its own. Target: telemetry costs less than 10% of checkout
 * throughput.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDuration } from '../../demo-services/loadgen/duration';
import { percentile } from '../../demo-services/loadgen/stats';
import { startOtlpSink } from '../../demo-services/shared/otlpSink';
import { findFreePorts, startDemo, type RunningDemo } from '../../demo-services/run';
import { DEMO_CUSTOMER_COUNT, DEMO_PASSWORD, demoCustomerEmail } from '../../demo-services/user/user';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '20s' },
    rounds: { type: 'string', default: '4' },
    concurrency: { type: 'string', default: '8' },
    // Head sampling for the "on" shop, e.g. 0.1: what a production-like setting costs.
    'sample-ratio': { type: 'string' },
    // Export to a real Faultline collector (embedded store) on the same cores instead of a dropping receiver.
    collector: { type: 'boolean', default: false },
  },
});
const durationMs = parseDuration(values.duration!);
const rounds = Number(values.rounds);
const concurrency = Number(values.concurrency);
const sampleRatio = values['sample-ratio'] === undefined ? undefined : Number(values['sample-ratio']);
if ((sampleRatio !== undefined && !(sampleRatio >= 0 && sampleRatio <= 1)) || !durationMs || !Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
  console.error('usage: npm run bench:overhead -- [--duration 20s] [--rounds 4] [--concurrency 8] [--sample-ratio 0.1] [--collector]   (duration per mode)');
  process.exit(2);
}
const PRODUCTS = ['p-mug', 'p-tea', 'p-filters', 'p-dripper', 'p-espresso', 'p-scale'];
const WARMUP_MS = 3000;
// Longer than the services' batch delay (1 s) and an export.
const EXPORT_SETTLE_MS = 1500;
// Longer than the services' batch delay plus the collector's longest (FAULTLINE_BATCH_MAX_DELAY_MS, 2 s) and an insert.
const COLLECTOR_SETTLE_MS = 4000;
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Mode {
  label: 'off' | 'on';
  demo: RunningDemo;
  dataDir: string;
  tokens: string[];
  latencies: number[];
  checkouts: number;
  errors: number;
  elapsedMs: number;
  cpuMsByProcess: Record<string, number>;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux.

/**
 * CPU time used so far by each process (Linux /proc), in ms. Unlike
 * throughput it does not depend on what else the machine is running.
 */
function cpuMsByProcess(pids: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(pids).map(([name, pid]) => {
      try {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        return [name, (Number(fields[11]) + Number(fields[12])) * TICK_MS];
      } catch {
        return [name, Number.NaN];
      }
    }),
  );
}

async function signIn(gatewayUrl: string, index: number): Promise<string> {
  const response = await fetch(`${gatewayUrl}/api/signin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: demoCustomerEmail(index % DEMO_CUSTOMER_COUNT), password: DEMO_PASSWORD }),
  });
  if (!response.ok) throw new Error(`sign-in failed with ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/** Each client checks out, waits for the answer, and checks out again until the time is up. */
async function checkouts(mode: Mode, forMs: number, record: boolean): Promise<void> {
  const started = performance.now();
  const cpuBefore = cpuMsByProcess(mode.demo.pids());
  const until = started + forMs;
  await Promise.all(
    mode.tokens.map(async (token, client) => {
      for (let i = 0; performance.now() < until; i++) {
        const sent = performance.now();
        let ok = false;
        try {
          const response = await fetch(`${mode.demo.gatewayUrl}/api/orders`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ items: [{ productId: PRODUCTS[(client + i) % PRODUCTS.length], quantity: 1 }] }),
          });
          ok = response.ok;
          await response.arrayBuffer();
        } catch {
          ok = false;
        }
        if (!record) continue;
        mode.latencies.push(performance.now() - sent);
        mode.checkouts++;
        if (!ok) mode.errors++;
      }
    }),
  );
  if (!record) return;
  mode.elapsedMs += performance.now() - started;
  // Events of this round still being consumed are counted in the next round of the same mode.
  for (const [name, ms] of Object.entries(cpuMsByProcess(mode.demo.pids()))) {
    mode.cpuMsByProcess[name] = (mode.cpuMsByProcess[name] ?? 0) + ms - (cpuBefore[name] ?? Number.NaN);
  }
}

async function startMode(label: Mode['label'], otlpEndpoint: string, env: Record<string, string>): Promise<Mode> {
  const dataDir = mkdtempSync(join(tmpdir(), `faultline-bench-${label}-`));
  let demo: RunningDemo | undefined;
  try {
    demo = await startDemo({ otlpEndpoint, dataDir, ports: await findFreePorts(), env });
    const gatewayUrl = demo.gatewayUrl;
    const tokens = await Promise.all(Array.from({ length: concurrency }, (_, i) => signIn(gatewayUrl, i)));
    return { label, demo, dataDir, tokens, latencies: [], checkouts: 0, errors: 0, elapsedMs: 0, cpuMsByProcess: {} };
  } catch (error) {
    await demo?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

function report(mode: Mode) {
  const sorted = [...mode.latencies].sort((a, b) => a - b);
  const cpuPerCheckout = (names: string[]) => names.reduce((sum, name) => sum + mode.cpuMsByProcess[name]!, 0) / mode.checkouts;
  return {
    throughput: mode.checkouts / (mode.elapsedMs / 1000),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    cpuPerCheckout: cpuPerCheckout(Object.keys(mode.cpuMsByProcess)),
    cpuPerCheckoutByProcess: Object.fromEntries(Object.keys(mode.cpuMsByProcess).map((name) => [name, cpuPerCheckout([name])])),
    errors: mode.errors,
  };
}

/** A Faultline collector on a fresh embedded store, as its own process; resolves once it accepts OTLP. */
async function startCollector(dataDir: string): Promise<{ process: ChildProcess; endpoint: string }> {
  const collector = spawn(process.execPath, ['--import', 'tsx', 'server/collector.ts'], {
    env: { ...process.env, FAULTLINE_DATA_DIR: dataDir, FAULTLINE_OTLP_PORT: '0', FAULTLINE_OTLP_GRPC_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let output = '';
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /send OTLP\/HTTP to (http:\/\/\S+)/.exec(output);
      if (!match) return;
      // Its later output is not needed, but must be drained.
      collector.stdout.off('data', read).resume();
      resolve(match[1]!);
    };
    collector.stdout.on('data', read);
    collector.once('exit', (code) => reject(new Error(`collector exited with ${code}:\n${output}`)));
  });
  return { process: collector, endpoint };
}

const sink = await startOtlpSink();
const collectorDir = values.collector ? mkdtempSync(join(tmpdir(), 'faultline-bench-collector-')) : undefined;
let collector: Awaited<ReturnType<typeof startCollector>> | undefined;
const modes: Mode[] = [];
try {
  console.log(`Telemetry overhead on checkouts: ${concurrency} closed-loop clients, ${values.duration} per mode in ${rounds} alternating rounds, loopback only.`);
  if (collectorDir) {
    collector = await startCollector(collectorDir);
    console.log(`Telemetry goes to a Faultline collector (embedded store) on the same cores: its CPU is part of the "on" cost.`);
  } else {
    console.log('Telemetry goes to a receiver that drops it: the figures are the services\' own cost (SDK, instrumentation, export), no backend.');
  }
  if (sampleRatio !== undefined) console.log(`Traces sampled at ${sampleRatio} (parent-based); logs and metrics in full.`);
  console.log('Starting two copies of the shop (telemetry off, telemetry on)…');
  modes.push(await startMode('off', sink.endpoint, { OTEL_SDK_DISABLED: 'true' }));
  const sampling: Record<string, string> = sampleRatio === undefined ? {} : { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: String(sampleRatio) };
  modes.push(await startMode('on', collector?.endpoint ?? sink.endpoint, { OTEL_METRIC_EXPORT_INTERVAL: '3000', ...sampling }));
  for (const mode of modes) await checkouts(mode, WARMUP_MS, false);
  // Items exported by the sink during the rounds, counted once the warm-up's last batches are in.
  await settle(EXPORT_SETTLE_MS);
  const itemsBefore = { ...sink.items };
  // The collector only ever ingests the "on" shop's telemetry, some of it after that shop's round has
  // ended, so its CPU is taken over all rounds and a settling pause, and charged to the "on" checkouts.
  const collectorCpuMs = () => (collector ? cpuMsByProcess({ collector: collector.process.pid! }).collector! : 0);
  const collectorCpuBefore = collectorCpuMs();
  for (let round = 1; round <= rounds; round++) {
    for (const mode of round % 2 === 1 ? modes : [...modes].reverse()) await checkouts(mode, durationMs / rounds, true);
    process.stdout.write(`round ${round}/${rounds} done\n`);
  }
  await settle(collector ? COLLECTOR_SETTLE_MS : EXPORT_SETTLE_MS);
  const collectorCpuPerCheckout = (collectorCpuMs() - collectorCpuBefore) / modes[1]!.checkouts;
  const [off, on] = modes.map(report) as [ReturnType<typeof report>, ReturnType<typeof report>];
  const row = (name: string, a: number, b: number) => `${name.padEnd(22)}${a.toFixed(1).padStart(9)}${b.toFixed(1).padStart(9)}${(b / a).toFixed(3).padStart(9)}`;
  console.log('');
  console.log(`${''.padEnd(22)}${'off'.padStart(9)}${'on'.padStart(9)}${'on/off'.padStart(9)}`);
  console.log(row('checkouts/s', off.throughput, on.throughput));
  console.log(row('p50 ms', off.p50, on.p50));
  console.log(row('p99 ms', off.p99, on.p99));
  const cpuMeasured = Number.isFinite(off.cpuPerCheckout) && Number.isFinite(on.cpuPerCheckout);
  if (cpuMeasured) {
    console.log(row('CPU ms/checkout (shop)', off.cpuPerCheckout, on.cpuPerCheckout));
    for (const name of Object.keys(off.cpuPerCheckoutByProcess)) {
      console.log(row(`  ${name}`, off.cpuPerCheckoutByProcess[name]!, on.cpuPerCheckoutByProcess[name]!));
    }
    if (collector) console.log(`${'CPU ms/checkout (coll.)'.padEnd(22)}${'-'.padStart(9)}${collectorCpuPerCheckout.toFixed(1).padStart(9)}`);
  }
  console.log(`errors: off ${off.errors}, on ${on.errors}; OTLP requests to the dropping receiver: ${Object.entries(sink.requests).map(([path, n]) => `${path} ${n}`).join(', ') || 'none'}`);
  const cost = (1 - on.throughput / off.throughput) * 100;
  console.log(`Telemetry costs ${cost.toFixed(1)}% of checkout throughput (target < 10%): ${cost < 10 ? 'met' : 'NOT met'}.`);
  if (cpuMeasured) {
    console.log(`CPU per checkout: +${((on.cpuPerCheckout / off.cpuPerCheckout - 1) * 100).toFixed(1)}% in the shop's processes with telemetry (steadier than throughput on a busy machine).`);
    if (collector) {
      const allIn = (on.cpuPerCheckout + collectorCpuPerCheckout) / off.cpuPerCheckout - 1;
      console.log(`With the collector storing it on the same machine: +${(allIn * 100).toFixed(1)}% CPU per checkout.`);
    } else {
      // On a CPU-bound machine throughput falls as CPU per checkout rises: 10% less throughput is 1/0.9 the CPU.
      const budgetMs = off.cpuPerCheckout * (1 / 0.9 - 1);
      const telemetryMs = on.cpuPerCheckout - off.cpuPerCheckout;
      const spans = (sink.items.spans - itemsBefore.spans) / modes[1]!.checkouts;
      const logRecords = (sink.items.logRecords - itemsBefore.logRecords) / modes[1]!.checkouts;
      const perItemUs = (ms: number) => ((ms / (spans + logRecords)) * 1000).toFixed(0);
      console.log(`Telemetry per checkout: ${spans.toFixed(1)} spans and ${logRecords.toFixed(1)} log records (plus metric updates and propagation), ${telemetryMs.toFixed(1)} ms of CPU: ${perItemUs(telemetryMs)} µs per span or log record.`);
      console.log(`Under 10% of throughput allows at most ${budgetMs.toFixed(1)} ms per checkout here: ${perItemUs(budgetMs)} µs per span or log record.`);
    }
  }
} finally {
  for (const mode of modes) {
    await mode.demo.stop();
    rmSync(mode.dataDir, { recursive: true, force: true });
  }
  if (collector) {
    collector.process.kill('SIGTERM');
    if (collector.process.exitCode === null) await once(collector.process, 'exit');
  }
  if (collectorDir) rmSync(collectorDir, { recursive: true, force: true });
  await sink.close();
}

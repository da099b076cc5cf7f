/**
 * `npm run bench:ingest`: end-to-end OTLP ingest throughput of the collector on the embedded
 * store, against the raw insert ceiling of the same rows, measured in the same run.
 *
 * 1. Generates realistic spans and encodes them as OTLP protobuf requests (not timed).
 * 2. Starts the collector as its own process over a fresh data directory and sends every
 *    request over loopback with N concurrent senders (OTLP/HTTP POSTs or OTLP/gRPC calls);
 *    a 200 or OK means "committed".
 * 3. Stops the collector (SIGTERM), opens the store here and checks stored == sent.
 * 4. Truncates, then inserts the same rows, pre-encoded as RowBinary, straight through the
 *    store's writer in batches of the collector's size: the ceiling.
 *
 * Options: --requests 600 --spans 512 --concurrency 64 [--profile DIR] (a V8 CPU profile of the collector)
 * --protocol http (default), grpc, or http,grpc: each protocol against its own fresh collector, in the
 * same run, printed side by side with the ratio gRPC / HTTP. With both, --rounds (default 2) alternates
 * the order round by round (HTTP then gRPC, gRPC then HTTP, …): whichever runs second pays for the
 * first one's merges and write-back, so a fixed order would bias the ratio.
 * The defaults stand for 64 service instances whose SDKs export 512-span batches, one at a time each.
 *
 * With --spans-per-request 100,500,512,2000 --senders 1,8,32 [--seconds 5] [--rounds 1] it instead measures
 * throughput and answer times for every combination of request size and sender count, against one
 * collector (`./ingestMatrix`).
 */
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '../../lib/clickhouse/store';
import { loadConfig } from '../../lib/config';
import { bytesOnDisk, countSpans, cpuSeconds, otlpGrpcPoster, otlpPoster, startCollectorProcess } from './collectorProcess';
import { measureInsertCeiling } from './insertCeiling';
import { runIngestMatrix } from './ingestMatrix';
import { generateRequests } from './spanGenerator';
import { progressLine } from './progress';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '600' },
    spans: { type: 'string', default: '512' },
    concurrency: { type: 'string', default: '64' },
    profile: { type: 'string' },
    'spans-per-request': { type: 'string' },
    senders: { type: 'string', default: '1,8,32' },
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string' },
    protocol: { type: 'string', default: 'http' },
  },
});
const numbers = (list: string) => list.split(',').map(Number);
if (args['spans-per-request']) {
  await runIngestMatrix({ spansPerRequest: numbers(args['spans-per-request']), senders: numbers(args.senders), seconds: Number(args.seconds), rounds: Number(args.rounds ?? 1) });
} else {
  await measureAgainstCeiling();
}

type Protocol = 'http' | 'grpc';

type LoadResult = {
  protocol: Protocol;
  dataDir: string;
  stored: number;
  failures: number;
  seconds: number;
  latencies: number[];
  peakRssMiB: number;
  collectorCpuSeconds: number;
  mainThreadCpuSeconds: number;
  senderCpuSeconds: number;
};

/** One protocol's runs added up: its spans over its seconds, its CPU over its spans. */
type ProtocolTotals = Omit<LoadResult, 'protocol' | 'dataDir'> & { runs: number; endToEnd: number; p50: number; p99: number };

function addUp(runs: LoadResult[], spansPerRun: number): ProtocolTotals {
  const sum = (field: 'stored' | 'failures' | 'seconds' | 'collectorCpuSeconds' | 'mainThreadCpuSeconds' | 'senderCpuSeconds') =>
    runs.reduce((total, run) => total + run[field], 0);
  const latencies = runs.flatMap((run) => run.latencies).sort((a, b) => a - b);
  const quantile = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  const seconds = sum('seconds');
  return {
    runs: runs.length,
    stored: sum('stored'),
    failures: sum('failures'),
    seconds,
    latencies,
    endToEnd: (spansPerRun * runs.length) / seconds,
    p50: quantile(0.5),
    p99: quantile(0.99),
    peakRssMiB: Math.max(...runs.map((run) => run.peakRssMiB)),
    collectorCpuSeconds: sum('collectorCpuSeconds'),
    mainThreadCpuSeconds: sum('mainThreadCpuSeconds'),
    senderCpuSeconds: sum('senderCpuSeconds'),
  };
}

/** HTTP then gRPC, then gRPC then HTTP, and so on: each protocol runs first as often as second. */
function runOrder(protocols: Protocol[], rounds: number): Protocol[] {
  return Array.from({ length: rounds }, (_, round) => (round % 2 === 0 ? protocols : [...protocols].reverse())).flat();
}

async function measureAgainstCeiling(): Promise<void> {
  const requestCount = Number(args.requests);
  const spansPerRequest = Number(args.spans);
  const concurrency = Number(args.concurrency);
  const protocols = args.protocol.split(',') as Protocol[];
  if (protocols.length === 0 || protocols.some((protocol) => protocol !== 'http' && protocol !== 'grpc')) {
    throw new Error(`--protocol takes http, grpc or both (http,grpc), not "${args.protocol}"`);
  }
  const rounds = Number(args.rounds ?? (protocols.length > 1 ? 2 : 1));

  const generating = progressLine('generating OTLP requests', requestCount);
  const bodies = generateRequests(requestCount, spansPerRequest, (done) => generating.update(done));
  generating.finish();
  const totalSpans = requestCount * spansPerRequest;
  const totalBytes = bodies.reduce((sum, body) => sum + body.length, 0);
  console.log(`${totalSpans} spans in ${requestCount} requests, ${(totalBytes / 1024 / 1024).toFixed(1)} MiB of protobuf`);

  const runs: LoadResult[] = [];
  try {
    // Each run against its own collector and data directory, one after the other in this run.
    for (const protocol of runOrder(protocols, rounds)) runs.push(await sendThroughCollector(protocol, bodies, concurrency));
    const results = protocols.map((protocol) => addUp(runs.filter((run) => run.protocol === protocol), totalSpans));
    const store = await openStore(loadConfig({ FAULTLINE_DATA_DIR: runs.at(-1)!.dataDir }));
    try {
      const onDisk = await bytesOnDisk(store.client, store.database);
      const { rowsPerSecond: ceiling, rows: ceilingStored, batchRows } = await measureInsertCeiling(store, bodies);

      const names = protocols.map((protocol) => (protocol === 'http' ? 'OTLP/HTTP' : 'OTLP/gRPC'));
      const perSpan = (result: ProtocolTotals, seconds: number) => ((seconds / (totalSpans * result.runs)) * 1e6).toFixed(1);
      const row = (label: string, cell: (result: ProtocolTotals) => string, note = '') =>
        console.log(`  ${label.padEnd(28)}${results.map((result) => cell(result).padEnd(22)).join('')}${note}`);
      console.log(`\nbench:ingest — ${names.join(' and ')} protobuf → collector → embedded ClickHouse (chDB), ${concurrency} concurrent senders`);
      if (runs.length > protocols.length) {
        const each = runs.map((run) => `${run.protocol} ${Math.round(totalSpans / run.seconds).toLocaleString('en')}`).join(', ');
        console.log(`  runs in order (spans/s)     ${each}`);
      }
      row('', (result) => `${names[results.indexOf(result)]!}${result.runs > 1 ? ` (${result.runs} runs)` : ''}`);
      row('spans sent / stored', (result) => `${totalSpans * result.runs} / ${result.stored}`);
      row('failed requests / lost', (result) => `${result.failures} / ${totalSpans * result.runs - result.stored}`);
      row('end-to-end throughput', (result) => `${Math.round(result.endToEnd).toLocaleString('en')} spans/s`);
      row('ack latency p50 / p99', (result) => `${result.p50.toFixed(1)} / ${result.p99.toFixed(1)} ms`);
      row('collector peak RSS', (result) => `${result.peakRssMiB.toFixed(0)} MiB`);
      row('collector CPU per span', (result) => `${perSpan(result, result.collectorCpuSeconds)} µs`, '  (all threads, chDB included)');
      row('  main thread / others', (result) => `${perSpan(result, result.mainThreadCpuSeconds)} / ${perSpan(result, result.collectorCpuSeconds - result.mainThreadCpuSeconds)} µs`, '  (JS: protocol, decode, batching / chDB, GC, I/O)');
      row('load generator CPU per span', (result) => `${perSpan(result, result.senderCpuSeconds)} µs`, '  (this process, on the same cores)');
      row('ratio end-to-end / ceiling', (result) => (result.endToEnd / ceiling).toFixed(2));
      console.log(`  raw insert ceiling          ${Math.round(ceiling).toLocaleString('en')} rows/s  (${ceilingStored} rows, RowBinary, ${batchRows}-row batches)`);
      const http = results[protocols.indexOf('http')];
      const grpc = results[protocols.indexOf('grpc')];
      if (http && grpc) {
        const cpuPerSpan = (result: ProtocolTotals) => result.collectorCpuSeconds / result.runs;
        console.log(`  gRPC / HTTP                 throughput ${(grpc.endToEnd / http.endToEnd).toFixed(2)}, collector CPU per span ${(cpuPerSpan(grpc) / cpuPerSpan(http)).toFixed(2)}`);
      }
      const perStoredSpan = (bytes: number) => (bytes / ceilingStored).toFixed(1);
      console.log(`  bytes on disk per span      ${perStoredSpan(onDisk.traces)} B in otel_traces, ${perStoredSpan(onDisk.all)} B in every table (after OPTIMIZE … FINAL)`);
      if (results.some((result) => result.stored !== totalSpans * result.runs || result.failures > 0)) process.exitCode = 1;
    } finally {
      await store.close();
    }
  } finally {
    for (const run of runs) rmSync(run.dataDir, { recursive: true, force: true });
  }
}

/** Sends every body to a fresh collector process over `protocol`, stops it (SIGTERM) and counts what it stored. */
async function sendThroughCollector(protocol: Protocol, bodies: Buffer[], concurrency: number): Promise<LoadResult> {
  const dataDir = mkdtempSync(join(tmpdir(), `faultline-bench-ingest-${protocol}-`));
  const profiling = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : [];
  const { child: collector, pid, url, grpcTarget } = await startCollectorProcess(dataDir, profiling);
  const httpPoster = otlpPoster(concurrency);
  const grpcPoster = otlpGrpcPoster(grpcTarget, concurrency);
  const post = async (body: Buffer, sender: number) =>
    protocol === 'http' ? (await httpPoster.post(`${url}/v1/traces`, body)).status === 200 : (await grpcPoster.post(body, sender)) === 0;

  const cpuAtStart = cpuSeconds(pid);
  const mainThreadCpuAtStart = cpuSeconds(pid, pid);
  const senderCpuAtStart = process.cpuUsage();
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const sending = progressLine(`sending over ${protocol}`, bodies.length);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, sender) => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const sentAt = performance.now();
        const ok = await post(body, sender);
        latencies.push(performance.now() - sentAt);
        if (!ok) failures++;
        sending.update(latencies.length);
      }
    }),
  );
  const endToEndSeconds = (performance.now() - started) / 1000;
  httpPoster.close();
  grpcPoster.close();
  sending.finish();
  const peakRssMiB = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
  const collectorCpuSeconds = cpuSeconds(pid) - cpuAtStart;
  const mainThreadCpuSeconds = cpuSeconds(pid, pid) - mainThreadCpuAtStart;
  const senderCpu = process.cpuUsage(senderCpuAtStart);
  collector.kill('SIGTERM');
  await once(collector, 'exit');

  const store = await openStore(loadConfig({ FAULTLINE_DATA_DIR: dataDir }));
  const stored = await countSpans(store.client).finally(() => store.close());
  return {
    protocol,
    dataDir,
    stored,
    failures,
    seconds: endToEndSeconds,
    latencies,
    peakRssMiB,
    collectorCpuSeconds,
    mainThreadCpuSeconds,
    senderCpuSeconds: (senderCpu.user + senderCpu.system) / 1e6,
  };
}

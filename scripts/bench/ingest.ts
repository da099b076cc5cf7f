/**
 * `npm run bench:ingest`: end-to-end OTLP ingest throughput of the collector on the embedded
 * store, against the raw insert ceiling of the same rows, measured in the same run.
 *
 * 1. Generates realistic spans and encodes them as OTLP protobuf requests (not timed).
 * 2. Starts the collector as its own process over a fresh data directory and posts every
 *    request over loopback with N concurrent senders; a 200 means "committed".
 * 3. Stops the collector (SIGTERM), opens the store here and checks stored == sent.
 * 4. Truncates, then inserts the same rows, pre-encoded as RowBinary, straight through the
 *    store's writer in batches of the collector's size: the ceiling.
 *
 * Options: --requests 600 --spans 512 --concurrency 64 [--profile DIR] (a V8 CPU profile of the collector).
 * The defaults stand for 64 service instances whose SDKs export 512-span batches, one at a time each.
 *
 * With --spans-per-request 100,500,512,2000 --senders 1,8,32 [--seconds 5] it instead measures
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
import { writtenTables } from '../../lib/clickhouse/tables';
import { decodeTracesProtoToRowBinary } from '../../lib/otlp/decode/decodeTracesProtoToRowBinary';
import { timeWindow } from '../../lib/otlp/decode/timeWindow';
import { RowBinaryWriter } from '../../lib/otlp/rows/rowBinaryWriter';
import { bytesOnDisk, countSpans, cpuSeconds, otlpPoster, startCollectorProcess } from './collectorProcess';
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
  },
});
const numbers = (list: string) => list.split(',').map(Number);
if (args['spans-per-request']) {
  await runIngestMatrix({ spansPerRequest: numbers(args['spans-per-request']), senders: numbers(args.senders), seconds: Number(args.seconds) });
} else {
  await measureAgainstCeiling();
}

async function measureAgainstCeiling(): Promise<void> {
  const requestCount = Number(args.requests);
  const spansPerRequest = Number(args.spans);
  const concurrency = Number(args.concurrency);
  const batchRows = loadConfig({}).batch.maxRows;
  const poster = otlpPoster(concurrency);

  const generating = progressLine('generating OTLP requests', requestCount);
  const bodies = generateRequests(requestCount, spansPerRequest, (done) => generating.update(done));
  generating.finish();
  const totalSpans = requestCount * spansPerRequest;
  const totalBytes = bodies.reduce((sum, body) => sum + body.length, 0);
  console.log(`${totalSpans} spans in ${requestCount} requests, ${(totalBytes / 1024 / 1024).toFixed(1)} MiB of protobuf`);

  const dataDir = mkdtempSync(join(tmpdir(), 'faultline-bench-ingest-'));
  try {
    const profiling = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : [];
    const { child: collector, pid, url } = await startCollectorProcess(dataDir, profiling);

    const cpuAtStart = cpuSeconds(pid);
    const mainThreadCpuAtStart = cpuSeconds(pid, pid);
    const senderCpuAtStart = process.cpuUsage();
    const latencies: number[] = [];
    let next = 0;
    let failures = 0;
    const sending = progressLine('posting to the collector', requestCount);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < requestCount) {
          const body = bodies[next++]!;
          const sentAt = performance.now();
          const status = await poster.post(`${url}/v1/traces`, body);
          latencies.push(performance.now() - sentAt);
          if (status !== 200) failures++;
          sending.update(latencies.length);
        }
      }),
    );
    const endToEndSeconds = (performance.now() - started) / 1000;
    poster.close();
    sending.finish();
    const peakRssMiB = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
    const collectorCpuSeconds = cpuSeconds(pid) - cpuAtStart;
    const mainThreadCpuSeconds = cpuSeconds(pid, pid) - mainThreadCpuAtStart;
    const senderCpu = process.cpuUsage(senderCpuAtStart);
    collector.kill('SIGTERM');
    await once(collector, 'exit');

    const store = await openStore(loadConfig({ FAULTLINE_DATA_DIR: dataDir }));
    try {
      const stored = await countSpans(store.client);
      const onDisk = await bytesOnDisk(store.client, store.database);
      await store.client.command({ query: 'TRUNCATE TABLE faultline.otel_traces' });
      await store.client.command({ query: 'TRUNCATE TABLE faultline.otel_traces_trace_id_ts' });

      const batches = encodeInBatches(bodies, batchRows);
      const ceilingStarted = performance.now();
      for (const batch of batches) await store.writer.insertRowBinary(writtenTables.traces.name, writtenTables.traces.columnNames, batch);
      const ceilingSeconds = (performance.now() - ceilingStarted) / 1000;
      const ceilingStored = await countSpans(store.client);

      latencies.sort((a, b) => a - b);
      const quantile = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
      const endToEnd = totalSpans / endToEndSeconds;
      const ceiling = totalSpans / ceilingSeconds;
      console.log('\nbench:ingest — OTLP/HTTP protobuf → collector → embedded ClickHouse (chDB)');
      console.log(`  spans sent / stored         ${totalSpans} / ${stored}  (${failures} failed requests, ${totalSpans - stored} lost)`);
      console.log(`  end-to-end throughput       ${Math.round(endToEnd).toLocaleString('en')} spans/s  (${concurrency} concurrent senders)`);
      console.log(`  ack latency p50 / p99       ${quantile(0.5).toFixed(1)} ms / ${quantile(0.99).toFixed(1)} ms`);
      console.log(`  collector peak RSS          ${peakRssMiB.toFixed(0)} MiB`);
      const perSpan = (seconds: number) => ((seconds / totalSpans) * 1e6).toFixed(1);
      console.log(`  collector CPU time          ${perSpan(collectorCpuSeconds)} µs per span (all threads, chDB included)`);
      console.log(`    main thread / others      ${perSpan(mainThreadCpuSeconds)} / ${perSpan(collectorCpuSeconds - mainThreadCpuSeconds)} µs per span (JS: HTTP, decode, batching / chDB, GC, I/O)`);
      console.log(`  load generator CPU time     ${perSpan((senderCpu.user + senderCpu.system) / 1e6)} µs per span (this process, on the same cores)`);
      console.log(`  raw insert ceiling          ${Math.round(ceiling).toLocaleString('en')} rows/s  (${ceilingStored} rows, RowBinary, ${batchRows}-row batches)`);
      console.log(`  ratio end-to-end / ceiling  ${(endToEnd / ceiling).toFixed(2)}`);
      const perStoredSpan = (bytes: number) => (bytes / stored).toFixed(1);
      console.log(`  bytes on disk per span      ${perStoredSpan(onDisk.traces)} B in otel_traces, ${perStoredSpan(onDisk.all)} B in every table (after OPTIMIZE … FINAL)`);
      if (stored !== totalSpans || failures > 0) process.exitCode = 1;
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function encodeInBatches(requestBodies: Buffer[], batchRows: number): Buffer[] {
  const batches: Buffer[] = [];
  let writer = new RowBinaryWriter(64 * 1024 * 1024);
  let rows = 0;
  const window = timeWindow(Date.now(), 0);
  for (const body of requestBodies) {
    rows += decodeTracesProtoToRowBinary(body, writer, window).count;
    if (rows >= batchRows) {
      batches.push(Buffer.from(writer.finish()));
      writer = new RowBinaryWriter(64 * 1024 * 1024);
      rows = 0;
    }
  }
  if (rows > 0) batches.push(Buffer.from(writer.finish()));
  return batches;
}

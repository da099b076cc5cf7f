/**
 * `npm run overload -- --seconds 120`: issue 15's overload proof against `npm start`'s process
 * (store, collector and dashboard; no demo) on free 127.0.0.1 ports over a fresh data directory.
 *
 * 1. Warms the dashboard and notes the process's idle RSS.
 * 2. Measures the sustained ingest rate: 64 closed-loop senders for --measure-seconds. Batches are
 *    capped at half of what those senders have in flight (FAULTLINE_BATCH_MAX_ROWS): one batch fills while the other
 *    is inserted, as in the overload, so the store works as hard in both phases, and no insert of the
 *    overload is bigger.
 * 3. Offers --factor (5) times that rate, open-loop on up to --senders concurrent requests, for --seconds, while sampling
 *    the process's RSS every second and asking the dashboard's /api/services every 200 ms.
 * 4. Runs the sustained senders again. The most RSS the process reaches in either sustained run
 *    (sampled every second, as in the overload) is the base: chDB's memory grows with the store, and
 *    the run after the overload meets the store the overload leaves.
 * 5. Stops the process (SIGTERM: it commits what it holds), opens the store and counts the spans
 *    against the spans acknowledged with 200.
 *
 * Prints RSS over time against base + FAULTLINE_MAX_INFLIGHT_BYTES (--inflight-mib), the 429s and
 * how many carried Retry-After, acknowledged vs stored spans, /api/services p50/p99, and CPU per span,
 * and each phase's peaks of what JavaScript holds and of the rest (the collector's /metrics).
 * Options: --seconds 120 --measure-seconds 60 --factor 5 --senders 256 --spans 512 --inflight-mib 64
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '../../lib/clickhouse/store';
import { loadConfig } from '../../lib/config';
import { countSpans, cpuSeconds } from '../bench/collectorProcess';
import { generateRequests } from '../bench/spanGenerator';
import { rssBytes, startStackProcess } from '../stackProcess';
import { sampleMemory, type MemoryPeaks } from './memorySamples';
import { sendLoad, type LoadTally } from './sendLoad';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '120' },
    'measure-seconds': { type: 'string', default: '60' },
    factor: { type: 'string', default: '5' },
    senders: { type: 'string', default: '256' },
    spans: { type: 'string', default: '512' },
    'inflight-mib': { type: 'string', default: '64' },
  },
});
const seconds = Number(args.seconds);
const measureSeconds = Number(args['measure-seconds']);
const spansPerRequest = Number(args.spans);
const senders = Number(args.senders);
const measureSenders = 64;
const inflightBytes = Number(args['inflight-mib']) * 1024 * 1024;
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

console.log(`generating ${spansPerRequest}-span OTLP protobuf bodies…`);
const bodies = generateRequests(64, spansPerRequest);
const dataDir = mkdtempSync(join(tmpdir(), 'faultline-overload-'));
// Inserts no bigger than the sustained runs', and as frequent: the base then holds chDB's memory for
// the largest insert the overload can make and for as many merges. Capped at all the senders'
// requests, a batch would be inserted alone while every sender waits for it.
const batchMaxRows = (measureSenders / 2) * spansPerRequest;
const stack = await startStackProcess(dataDir, {
  FAULTLINE_DEMO: '0',
  FAULTLINE_MAX_INFLIGHT_BYTES: String(inflightBytes),
  FAULTLINE_BATCH_MAX_ROWS: String(batchMaxRows),
}).catch((error: unknown) => {
  rmSync(dataDir, { recursive: true, force: true });
  throw error;
});
const tracesUrl = `${stack.otlpUrl}/v1/traces`;
/** The services of the last hour, as the dashboard's overview asks for them. */
const servicesUrl = () => `${stack.uiUrl}/api/services?from=${Date.now() - 3_600_000}&to=${Date.now()}`;
console.log(`stack pid ${stack.pid}: dashboard ${stack.uiUrl}, OTLP ${stack.otlpUrl}; in-flight limit ${mib(inflightBytes)} MiB, batches of at most ${batchMaxRows} rows`);

try {
  for (let i = 0; i < 5; i++) await fetch(servicesUrl()).then((response) => response.arrayBuffer());
  const idleUntil = performance.now() + 5000;
  const idle = await probeServices(() => performance.now() < idleUntil);
  const idleRss = rssBytes(stack.pid);
  console.log(`idle: /api/services ${idle.summary}`);

  const before = await runSustained();
  const sustained = before.acknowledgedSpans / before.elapsedSeconds;
  console.log(
    `sustained: ${sustained.toFixed(0)} spans/s acknowledged by ${measureSenders} closed-loop senders over ${before.elapsedSeconds.toFixed(1)} s ` +
      `(${(before.cpuPerSpan * 1e6).toFixed(1)} µs of Faultline CPU per span); RSS ${mib(idleRss)} MiB idle (dashboard warmed), ${mib(before.maxRss)} MiB at most`,
  );

  const offered = sustained * Number(args.factor);
  console.log(`overload: offering ${offered.toFixed(0)} spans/s (${args.factor}×) from ${senders} senders for ${seconds} s`);
  let overloading = true;
  const overloadProbes = probeServices(() => overloading);
  const overloadMemory = sampleMemory(stack.otlpUrl, () => overloading);
  const healthProbes = probe(() => `${stack.uiUrl}/api/health`, () => overloading);
  let maxRss = 0;
  const overloadCpu = cpuSeconds(stack.pid);
  const overloadMainThreadCpu = cpuSeconds(stack.pid, stack.pid);
  const overload = await sendLoad({
    url: tracesUrl,
    bodies,
    spansPerRequest,
    senders,
    seconds,
    spansPerSecond: offered,
    onSecond: (tally: LoadTally) => {
      const rss = rssBytes(stack.pid);
      maxRss = Math.max(maxRss, rss);
      if (Math.round(tally.elapsedSeconds) % 5 === 0) {
        console.log(
          `  t=${tally.elapsedSeconds.toFixed(0).padStart(3)} s  RSS ${mib(rss).padStart(5)} MiB  requests ${tally.requests}  acknowledged spans ${tally.acknowledgedSpans}  429s ${tally.tooManyRequests}`,
        );
      }
    },
  });
  overloading = false;
  const duringOverload = await overloadProbes;
  const healthDuringOverload = await healthProbes;
  const overloadPeaks = await overloadMemory;
  const overloadCpuSeconds = cpuSeconds(stack.pid) - overloadCpu;
  const overloadMainThreadCpuSeconds = cpuSeconds(stack.pid, stack.pid) - overloadMainThreadCpu;
  maxRss = Math.max(maxRss, rssBytes(stack.pid));
  const after = await runSustained();
  console.log(`sustained again: ${(after.acknowledgedSpans / after.elapsedSeconds).toFixed(0)} spans/s; RSS ${mib(after.maxRss)} MiB at most`);
  // The base: the most the process held while running at its full sustained rate, before and after the
  // overload (chDB's caches, its largest inserts and their merges, which grow with the store, V8's
  // grown heap). Overload may add the in-flight limit to it, no more.
  const baseRss = Math.max(before.maxRss, after.maxRss);
  await stack.stop();

  const store = await openStore(loadConfig({ FAULTLINE_DATA_DIR: dataDir }));
  const stored = await countSpans(store.client);
  await store.close();
  const acknowledged = before.acknowledgedSpans + overload.acknowledgedSpans + after.acknowledgedSpans;

  console.log(`
overload of ${overload.elapsedSeconds.toFixed(0)} s at ${args.factor}× the sustained ${sustained.toFixed(0)} spans/s:
  sent                ${overload.requests} requests (${((overload.requests * spansPerRequest) / overload.elapsedSeconds).toFixed(0)} spans/s); ${overload.skipped} more fell due while all ${senders} senders waited
  answers             ${JSON.stringify(overload.statuses)}; unanswered ${overload.unanswered}
  429s                ${overload.tooManyRequests}, with Retry-After ${overload.tooManyWithRetryAfter}
  acknowledged        ${(overload.acknowledgedSpans / overload.elapsedSeconds).toFixed(0)} spans/s (${((overload.acknowledgedSpans / overload.elapsedSeconds / sustained) * 100).toFixed(0)} % of the sustained rate)
  CPU                 ${((overloadCpuSeconds / overload.elapsedSeconds) * 100).toFixed(0)} % of a core, ${((overloadCpuSeconds / Math.max(1, overload.acknowledgedSpans)) * 1e6).toFixed(1)} µs per acknowledged span (measurement: ${(before.cpuPerSpan * 1e6).toFixed(1)}); the main thread (JavaScript) ${((overloadMainThreadCpuSeconds / overload.elapsedSeconds) * 100).toFixed(0)} %
  RSS                 max ${mib(maxRss)} MiB; base (the most of the sustained runs before and after: ${mib(before.maxRss)}, ${mib(after.maxRss)}) ${mib(baseRss)} MiB + limit ${mib(inflightBytes)} MiB = ${mib(baseRss + inflightBytes)} MiB: ${maxRss <= baseRss + inflightBytes ? 'within' : 'OVER'}
                      ${peaksLine(before.peaks, overloadPeaks, after.peaks)}
  /api/services       during the overload ${duringOverload.summary}
                      at the sustained rate ${before.services}; idle ${idle.summary}
  /api/health         during the overload ${healthDuringOverload.summary} (no query: the process's HTTP handling alone)
  stored              ${stored} spans of ${acknowledged} acknowledged (sustained runs and overload): ${stored >= acknowledged ? 'none lost' : `${acknowledged - stored} LOST`}`);
  if (stored < acknowledged || overload.tooManyWithRetryAfter < overload.tooManyRequests || maxRss > baseRss + inflightBytes) process.exitCode = 1;
} finally {
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

/** What each phase's memory peaks were, JavaScript's and the rest's, from the collector's /metrics. */
function peaksLine(before: MemoryPeaks, overload: MemoryPeaks, after: MemoryPeaks): string {
  const phase = (peaks: MemoryPeaks) => `JavaScript ${mib(peaks.javascript)}, the rest ${mib(peaks.rest)}, in flight ${mib(peaks.inflight)}`;
  return `peaks (MiB) sustained before: ${phase(before)}; overload: ${phase(overload)}; sustained after: ${phase(after)}`;
}

type SustainedRun = LoadTally & { maxRss: number; cpuPerSpan: number; peaks: MemoryPeaks; services: string };

/** The closed-loop senders for --measure-seconds, with the process's RSS, memory peaks and /api/services sampled throughout. */
async function runSustained(): Promise<SustainedRun> {
  const cpuBefore = cpuSeconds(stack.pid);
  let measuring = true;
  const probes = probeServices(() => measuring);
  const memory = sampleMemory(stack.otlpUrl, () => measuring);
  let maxRss = 0;
  const tally = await sendLoad({
    url: tracesUrl,
    bodies,
    spansPerRequest,
    senders: measureSenders,
    seconds: measureSeconds,
    onSecond: () => (maxRss = Math.max(maxRss, rssBytes(stack.pid))),
  });
  measuring = false;
  maxRss = Math.max(maxRss, rssBytes(stack.pid));
  const cpuPerSpan = (cpuSeconds(stack.pid) - cpuBefore) / Math.max(1, tally.acknowledgedSpans);
  return { ...tally, maxRss, cpuPerSpan, peaks: await memory, services: (await probes).summary };
}

/** Asks the dashboard's /api/services every 200 ms, one request at a time, while `going()`; its answer times. */
function probeServices(going: () => boolean): Promise<{ summary: string }> {
  return probe(servicesUrl, going);
}

/** Asks `url()` every 200 ms, one request at a time, while `going()`; its answer times. */
async function probe(url: () => string, going: () => boolean): Promise<{ summary: string }> {
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  while (going()) {
    const started = performance.now();
    const status = await fetch(url())
      .then(async (response) => (await response.arrayBuffer(), response.status))
      .catch(() => 0);
    latencies.push(performance.now() - started);
    statuses[status] = (statuses[status] ?? 0) + 1;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(0);
  return { summary: `${latencies.length} probes ${JSON.stringify(statuses)}, p50 ${at(0.5)} ms, p99 ${at(0.99)} ms` };
}

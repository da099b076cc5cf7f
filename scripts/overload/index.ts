/**
 * `npm run overload -- --seconds 120`: issue 15's overload proof against `npm start`'s process
 * (store, collector and dashboard; no demo) on free 127.0.0.1 ports over a fresh data directory.
 *
 * 1. Warms the dashboard and notes the process's idle RSS.
 * 2. Measures the sustained ingest rate: 64 closed-loop senders for --measure-seconds. The most RSS
 *    it reaches (sampled every second, as in the overload) is the base. Batches are capped at what
 *    those senders have in flight (FAULTLINE_BATCH_MAX_ROWS), so no insert of the overload is bigger.
 * 3. Offers --factor (5) times that rate, open-loop on up to --senders concurrent requests, for --seconds, while sampling
 *    the process's RSS every second and asking the dashboard's /api/services every 200 ms.
 * 4. Stops the process (SIGTERM: it commits what it holds), opens the store and counts the spans
 *    against the spans acknowledged with 200.
 *
 * Prints RSS over time against base + FAULTLINE_MAX_INFLIGHT_BYTES (--inflight-mib), the 429s and
 * how many carried Retry-After, acknowledged vs stored spans, /api/services p50/p99, and CPU per span.
 * Options: --seconds 120 --measure-seconds 30 --factor 5 --senders 256 --spans 512 --inflight-mib 64
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
import { sendLoad, type LoadTally } from './sendLoad';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '120' },
    'measure-seconds': { type: 'string', default: '30' },
    factor: { type: 'string', default: '5' },
    senders: { type: 'string', default: '256' },
    spans: { type: 'string', default: '512' },
    'inflight-mib': { type: 'string', default: '64' },
  },
});
const seconds = Number(args.seconds);
const spansPerRequest = Number(args.spans);
const senders = Number(args.senders);
const measureSenders = 64;
const inflightBytes = Number(args['inflight-mib']) * 1024 * 1024;
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

console.log(`generating ${spansPerRequest}-span OTLP protobuf bodies…`);
const bodies = generateRequests(64, spansPerRequest);
const dataDir = mkdtempSync(join(tmpdir(), 'faultline-overload-'));
// Inserts no bigger than the sustained run's: the base then holds chDB's memory for the largest insert
// the overload can make, and what the overload adds is what the in-flight limit bounds.
const batchMaxRows = measureSenders * spansPerRequest;
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

  const measureCpu = cpuSeconds(stack.pid);
  let measuring = true;
  const sustainedProbes = probeServices(() => measuring);
  let baseRss = 0;
  const measured = await sendLoad({
    url: tracesUrl,
    bodies,
    spansPerRequest,
    senders: measureSenders,
    seconds: Number(args['measure-seconds']),
    onSecond: () => (baseRss = Math.max(baseRss, rssBytes(stack.pid))),
  });
  measuring = false;
  const duringSustained = await sustainedProbes;
  const sustained = measured.acknowledgedSpans / measured.elapsedSeconds;
  const measureCpuPerSpan = (cpuSeconds(stack.pid) - measureCpu) / measured.acknowledgedSpans;
  // The base: the most the process held while running at its full sustained rate, sampled as the
  // overload is (chDB's caches, its largest inserts and their merges, V8's grown heap). Overload may
  // add the in-flight limit to it, no more.
  const afterSustainedRss = rssBytes(stack.pid);
  baseRss = Math.max(baseRss, afterSustainedRss);
  console.log(
    `sustained: ${sustained.toFixed(0)} spans/s acknowledged by ${measureSenders} closed-loop senders over ${measured.elapsedSeconds.toFixed(1)} s ` +
      `(${(measureCpuPerSpan * 1e6).toFixed(1)} µs of Faultline CPU per span)`,
  );
  console.log(
    `RSS: ${mib(idleRss)} MiB idle (dashboard warmed), ${mib(baseRss)} MiB at most during the sustained run (the base; ${mib(afterSustainedRss)} MiB after it); bound ${mib(baseRss + inflightBytes)} MiB`,
  );

  const offered = sustained * Number(args.factor);
  console.log(`overload: offering ${offered.toFixed(0)} spans/s (${args.factor}×) from ${senders} senders for ${seconds} s`);
  let overloading = true;
  const overloadProbes = probeServices(() => overloading);
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
  const overloadCpuSeconds = cpuSeconds(stack.pid) - overloadCpu;
  const overloadMainThreadCpuSeconds = cpuSeconds(stack.pid, stack.pid) - overloadMainThreadCpu;
  maxRss = Math.max(maxRss, rssBytes(stack.pid));
  await stack.stop();

  const store = await openStore(loadConfig({ FAULTLINE_DATA_DIR: dataDir }));
  const stored = await countSpans(store.client);
  await store.close();
  const acknowledged = measured.acknowledgedSpans + overload.acknowledgedSpans;

  console.log(`
overload of ${overload.elapsedSeconds.toFixed(0)} s at ${args.factor}× the sustained ${sustained.toFixed(0)} spans/s:
  sent                ${overload.requests} requests (${((overload.requests * spansPerRequest) / overload.elapsedSeconds).toFixed(0)} spans/s); ${overload.skipped} more fell due while all ${senders} senders waited
  answers             ${JSON.stringify(overload.statuses)}; unanswered ${overload.unanswered}
  429s                ${overload.tooManyRequests}, with Retry-After ${overload.tooManyWithRetryAfter}
  acknowledged        ${(overload.acknowledgedSpans / overload.elapsedSeconds).toFixed(0)} spans/s (${((overload.acknowledgedSpans / overload.elapsedSeconds / sustained) * 100).toFixed(0)} % of the sustained rate)
  CPU                 ${((overloadCpuSeconds / overload.elapsedSeconds) * 100).toFixed(0)} % of a core, ${((overloadCpuSeconds / Math.max(1, overload.acknowledgedSpans)) * 1e6).toFixed(1)} µs per acknowledged span (measurement: ${(measureCpuPerSpan * 1e6).toFixed(1)}); the main thread (JavaScript) ${((overloadMainThreadCpuSeconds / overload.elapsedSeconds) * 100).toFixed(0)} %
  RSS                 max ${mib(maxRss)} MiB; base ${mib(baseRss)} MiB + limit ${mib(inflightBytes)} MiB = ${mib(baseRss + inflightBytes)} MiB: ${maxRss <= baseRss + inflightBytes ? 'within' : 'OVER'}
  /api/services       during the overload ${duringOverload.summary}
                      at the sustained rate ${duringSustained.summary}; idle ${idle.summary}
  /api/health         during the overload ${healthDuringOverload.summary} (no query: the process's HTTP handling alone)
  stored              ${stored} spans of ${acknowledged} acknowledged (measurement and overload): ${stored >= acknowledged ? 'none lost' : `${acknowledged - stored} LOST`}`);
  if (stored < acknowledged || overload.tooManyWithRetryAfter < overload.tooManyRequests || maxRss > baseRss + inflightBytes) process.exitCode = 1;
} finally {
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
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

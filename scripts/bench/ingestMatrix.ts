/**
 * `npm run bench:ingest -- --spans-per-request 100,500,512,2000 --senders 1,8,32 [--seconds 5] [--rounds 1]`: how
 * the collector's batching treats senders that wait for each answer before sending again, as every
 * OTLP exporter does. One collector process (embedded store, batching as configured by the
 * environment) takes every combination of request size and sender count in turn, each for `seconds`
 * per round;
 * it prints spans/s acknowledged, answer p50/p99, the collector's CPU (cores busy, of
 * `os.availableParallelism()`), the load generator's and the whole machine's share of busy cores, and
 * the answer time the throughput forces on senders that wait: the spans they hold ÷ spans/s
 * (Little's law); then the ratios the targets of issue 16 name, and checks stored == acknowledged. Last it
 * measures the raw insert ceiling on the same store (`./insertCeiling`), and for each combination whose
 * answer p50 is over 500 ms, how long one insert of all the spans its senders hold takes: where that
 * alone is over 500 ms, no batching policy can answer them within 500 ms (the store's limit).
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../lib/clickhouse/store';
import { loadConfig } from '../../lib/config';
import { percentile } from '../../demo-services/loadgen/stats';
import { countSpans, cpuSeconds, machineCpuSeconds, otlpPoster, startCollectorProcess, type CollectorProcess } from './collectorProcess';
import { measureInsertCeiling, timeOneInsert, type InsertCeiling } from './insertCeiling';
import { generateRequests } from './spanGenerator';
import { progressLine } from './progress';

type Combination = { spansPerRequest: number; senders: number };
type Outcome = Combination & {
  spansPerSecond: number;
  p50: number;
  p99: number;
  cores: number;
  senderCores: number;
  machineBusy: number;
  forcedAnswerMs: number;
  acknowledged: number;
  failures: number;
};

export async function runIngestMatrix(options: { spansPerRequest: number[]; senders: number[]; seconds: number; rounds: number }): Promise<void> {
  // Every sender gets bodies of its own; repeating them is fine, the store keeps duplicates.
  const distinctBodies = Math.max(...options.senders);
  const generating = progressLine('generating OTLP requests', options.spansPerRequest.length * distinctBodies);
  const bodies = new Map<number, Buffer[]>();
  for (const [i, size] of options.spansPerRequest.entries()) {
    bodies.set(size, generateRequests(distinctBodies, size, (done) => generating.update(i * distinctBodies + done)));
  }
  generating.finish();

  const combinations = options.spansPerRequest.flatMap((spansPerRequest) => options.senders.map((senders) => ({ spansPerRequest, senders })));
  const samples = combinations.map(() => emptySample());
  const dataDir = mkdtempSync(join(tmpdir(), 'faultline-bench-ingest-'));
  try {
    const collector = await startCollectorProcess(dataDir);
    // Rounds take every combination in turn, so a change in the machine's load falls on all of them alike.
    const measuring = progressLine(`measuring, ${options.seconds} s per combination per round`, options.rounds * combinations.length);
    for (let round = 0; round < options.rounds; round++) {
      for (const [i, combination] of combinations.entries()) {
        await measure(collector, bodies.get(combination.spansPerRequest)!, combination, options.seconds, samples[i]!);
        measuring.update(round * combinations.length + i + 1);
      }
    }
    measuring.finish();
    collector.child.kill('SIGTERM');
    await once(collector.child, 'exit');
    const outcomes = combinations.map((combination, i) => outcomeOf(combination, samples[i]!));
    const rounds = options.rounds === 1 ? '' : `, in ${options.rounds} rounds`;
    console.log(`\nbench:ingest — senders that wait for each answer, ${options.seconds} s per combination${rounds}, one collector`);
    console.log('| spans/request | senders | spans/s | answer p50 | answer p99 | held ÷ spans/s | collector CPU (cores) | load generator (cores) | machine busy |');
    console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const outcome of outcomes) {
      const ms = (value: number) => `${Math.round(value).toLocaleString('en')} ms`;
      const cells = [
        outcome.spansPerRequest,
        outcome.senders,
        Math.round(outcome.spansPerSecond).toLocaleString('en'),
        ms(outcome.p50),
        ms(outcome.p99),
        ms(outcome.forcedAnswerMs),
        outcome.cores.toFixed(2),
        outcome.senderCores.toFixed(2),
        `${Math.round(outcome.machineBusy * 100)} %`,
      ];
      console.log(`| ${cells.join(' | ')} |`);
    }
    // Three of the collector's full batches, from the same requests.
    const spansInBodies = options.spansPerRequest.reduce((sum, size) => sum + size, 0) * distinctBodies;
    const repeats = Math.ceil((3 * loadConfig({}).batch.maxRows) / spansInBodies);
    await summarize(outcomes, dataDir, bodies, Array.from({ length: repeats }, () => [...bodies.values()].flat()).flat());
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

type Sample = {
  latencies: number[];
  acknowledged: number;
  failures: number;
  seconds: number;
  cpuSeconds: number;
  senderCpuSeconds: number;
  machineBusySeconds: number;
  machineSeconds: number;
};

const emptySample = (): Sample => ({ latencies: [], acknowledged: 0, failures: 0, seconds: 0, cpuSeconds: 0, senderCpuSeconds: 0, machineBusySeconds: 0, machineSeconds: 0 });

/** `senders` loops, each posting its next request once the last is answered, until `seconds` have passed; adds what it saw to `sample`. */
async function measure(collector: CollectorProcess, bodies: Buffer[], combination: Combination, seconds: number, sample: Sample): Promise<void> {
  const poster = otlpPoster(combination.senders);
  const cpuAtStart = cpuSeconds(collector.pid);
  const senderCpuAtStart = process.cpuUsage();
  const machineAtStart = machineCpuSeconds();
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: combination.senders }, async (_, sender) => {
      for (let i = sender; performance.now() < end; i += combination.senders) {
        const sentAt = performance.now();
        const { status } = await poster.post(`${collector.url}/v1/traces`, bodies[i % bodies.length]!);
        sample.latencies.push(performance.now() - sentAt);
        if (status === 200) sample.acknowledged += combination.spansPerRequest;
        else sample.failures++;
      }
    }),
  );
  sample.seconds += (performance.now() - started) / 1000;
  sample.cpuSeconds += cpuSeconds(collector.pid) - cpuAtStart;
  const senderCpu = process.cpuUsage(senderCpuAtStart);
  sample.senderCpuSeconds += (senderCpu.user + senderCpu.system) / 1e6;
  const machine = machineCpuSeconds();
  sample.machineBusySeconds += machine.busy - machineAtStart.busy;
  sample.machineSeconds += machine.total - machineAtStart.total;
  poster.close();
}

function outcomeOf(combination: Combination, sample: Sample): Outcome {
  const latencies = [...sample.latencies].sort((a, b) => a - b);
  return {
    ...combination,
    spansPerSecond: sample.acknowledged / sample.seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cores: sample.cpuSeconds / sample.seconds,
    senderCores: sample.senderCpuSeconds / sample.seconds,
    machineBusy: sample.machineBusySeconds / sample.machineSeconds,
    forcedAnswerMs: ((combination.senders * combination.spansPerRequest) / (sample.acknowledged / sample.seconds)) * 1000,
    acknowledged: sample.acknowledged,
    failures: sample.failures,
  };
}

/** The ratios and the answer-time bound the targets name, and whether every acknowledged span is stored. */
async function summarize(outcomes: Outcome[], dataDir: string, bodies: Map<number, Buffer[]>, ceilingBodies: Buffer[]): Promise<void> {
  const store = await openStore(loadConfig({ FAULTLINE_DATA_DIR: dataDir }));
  const overTarget = outcomes.filter((outcome) => outcome.p50 > 500);
  let stored: number;
  let ceiling: InsertCeiling;
  const oneInsertMs: number[] = [];
  try {
    stored = await countSpans(store.client);
    ceiling = await measureInsertCeiling(store, ceilingBodies);
    for (const over of overTarget) oneInsertMs.push(await timeOneInsert(store, bodies.get(over.spansPerRequest)!.slice(0, over.senders)));
  } finally {
    await store.close();
  }
  const acknowledged = outcomes.reduce((sum, outcome) => sum + outcome.acknowledged, 0);
  const failures = outcomes.reduce((sum, outcome) => sum + outcome.failures, 0);
  console.log(`\nspans acknowledged / stored: ${acknowledged} / ${stored} (${failures} failed requests); ${availableParallelism()} cores`);
  const at8 = (spansPerRequest: number) => outcomes.find((o) => o.senders === 8 && o.spansPerRequest === spansPerRequest)?.spansPerSecond;
  const full = at8(512);
  for (const [size, target] of [[500, 0.8], [100, 0.4]] as const) {
    const small = at8(size);
    if (full && small) console.log(`8 senders, ${size}-span / 512-span throughput: ${(small / full).toFixed(2)} (target ≥ ${target})`);
  }
  const slowest = outcomes.reduce((worst, outcome) => (outcome.p50 > worst.p50 ? outcome : worst));
  console.log(`highest answer p50: ${Math.round(slowest.p50)} ms (${slowest.spansPerRequest} spans × ${slowest.senders} senders, collector at ${slowest.cores.toFixed(2)} cores; target ≤ 500 ms below the CPU limit)`);
  console.log(`raw insert ceiling on this store: ${Math.round(ceiling.rowsPerSecond).toLocaleString('en')} rows/s (${ceiling.rows} rows, ${ceiling.batchRows}-row batches)`);
  for (const [i, over] of overTarget.entries()) {
    const held = over.spansPerRequest * over.senders;
    const verdict = oneInsertMs[i]! > 500 ? "over 500 ms alone: the store's limit" : 'under 500 ms: a miss';
    console.log(
      `  p50 over 500 ms at ${over.spansPerRequest} × ${over.senders}: senders hold ${held} spans (${Math.round(over.forcedAnswerMs)} ms at ${Math.round(over.spansPerSecond).toLocaleString('en')} spans/s); one insert of them takes ${Math.round(oneInsertMs[i]!)} ms (${verdict}); machine ${Math.round(over.machineBusy * 100)} % busy`,
    );
  }
  if (stored !== acknowledged || failures > 0) process.exitCode = 1;
}

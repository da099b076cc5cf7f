/**
 * `npm run fuzz -- --seed N --count N`: generated and mutated OTLP bodies (protobuf, JSON, gzip, JSON
 * log lines, Zipkin JSON, and over gRPC) against a real collector on 127.0.0.1 over a fresh
 * embedded store, with the checks of `./runFuzz`. Prints progress, then the statuses seen, the
 * mutations tried, the peak RSS and any failure with the seed that replays it; exits 1 on a failure.
 *
 * Options: --seed (default: random, printed) --count 2000 --max-rss-mib 2048 --answer-within-ms 10000
 */
import { parseArgs } from 'node:util';
import { startTestFaultline } from '../../tests/support/faultline';
import { progressLine } from '../bench/progress';
import { fuzzCollectorEnv, fuzzMaxBodyBytes } from './fuzzCollector';
import { mib, runFuzz } from './runFuzz';

const { values: args } = parseArgs({
  options: {
    seed: { type: 'string', default: String(Date.now() % 2 ** 31) },
    count: { type: 'string', default: '2000' },
    'max-rss-mib': { type: 'string', default: '2048' },
    'answer-within-ms': { type: 'string', default: '10000' },
  },
});
const seed = Number(args.seed);
const count = Number(args.count);
console.log(`fuzzing the collector with ${count} cases from seed ${seed} (replay: npm run fuzz -- --seed ${seed} --count ${count})`);
const faultline = await startTestFaultline(fuzzCollectorEnv);
const progress = progressLine('cases', count);
const started = performance.now();
const summary = await runFuzz(faultline, {
  seed,
  count,
  maxBodyBytes: fuzzMaxBodyBytes,
  maxRssBytes: Number(args['max-rss-mib']) * 1024 * 1024,
  answerWithinMs: Number(args['answer-within-ms']),
  onCase: (done) => progress.update(Math.min(done, count)),
});
progress.finish();
await faultline.stop();

const sorted = (counts: Record<string, number>) => Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
console.log(`\n${summary.requests} requests in ${((performance.now() - started) / 1000).toFixed(1)} s; slowest answer ${summary.slowestAnswerMs.toFixed(0)} ms`);
console.log('answers:');
for (const [status, n] of sorted(summary.statuses)) console.log(`  ${status.padEnd(28)} ${n}`);
console.log('cases:');
for (const [kind, n] of sorted(summary.kinds)) console.log(`  ${kind.padEnd(48)} ${n}`);
console.log(`RSS: ${mib(summary.startRssBytes)} MiB at the start, ${mib(summary.maxRssBytes)} MiB at most (bound ${args['max-rss-mib']} MiB)`);
console.log(`acknowledged valid items: ${summary.acknowledgedItems}, in the store: ${summary.storedItems}`);
if (summary.failures.length > 0) {
  console.log(`\nFAILED:\n${summary.failures.join('\n\n')}`);
  process.exitCode = 1;
} else {
  console.log('\nno crash, no hang, no 5xx but 503, only the allowed gRPC codes, RSS under its bound, every acknowledged item stored');
}

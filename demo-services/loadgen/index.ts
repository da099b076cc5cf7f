/**
 * `npm run loadgen -- --rps 20 --duration 5m [--gateway http://127.0.0.1:7000]`:
 * drives the shop through the gateway, prints a progress line each second and
 * a closing summary. `--rps` paces customer actions; an action is one or two
 * HTTP requests (a checkout by a signed-out customer signs in first), and the
 * summary counts HTTP requests. Ctrl-C stops early and still prints the summary.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadDemoConfig, serviceUrl } from '../shared/config';
import { parseDuration } from './duration';
import { formatSummary } from './stats';
import { runLoad } from './workload';

const { values } = parseArgs({
  options: { rps: { type: 'string', default: '20' }, duration: { type: 'string', default: '5m' }, gateway: { type: 'string' } },
});
const rps = z.coerce.number().positive().max(5000).safeParse(values.rps);
if (!rps.success) {
  console.error(`--rps must be a positive number (got "${values.rps}").`);
  process.exit(2);
}
const durationMs = parseDuration(values.duration!);
if (durationMs === undefined) {
  console.error(`--duration must look like 90s, 5m or 1h (got "${values.duration}").`);
  process.exit(2);
}
const gatewayUrl = values.gateway ?? serviceUrl(loadDemoConfig(), 'gateway');

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
process.once('SIGTERM', () => controller.abort());

const tty = process.stdout.isTTY;
console.log(`loadgen: ${rps.data} req/s for ${values.duration} against ${gatewayUrl}`);
const summary = await runLoad({
  gatewayUrl,
  rps: rps.data,
  durationMs,
  signal: controller.signal,
  onProgress: (stats, elapsedMs) => {
    const line = `[${(elapsedMs / 1000).toFixed(0)}s] ${stats.requests} requests, ${stats.errorCount} errors, ${(stats.requests / (elapsedMs / 1000)).toFixed(1)} req/s`;
    if (tty) process.stdout.write(`\r${line}   `);
    else if (Math.round(elapsedMs / 1000) % 10 === 0) console.log(line);
  },
});
if (tty) process.stdout.write('\n');
console.log(formatSummary(summary));

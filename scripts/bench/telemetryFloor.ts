/**
 * `npm run bench:telemetry-floor`: the least OpenTelemetry can cost the demo per
 * item — the demo's own setup (startTelemetry, createLogger) in a tight loop on
 * an otherwise idle process, exporting to a receiver in another process that
 * drops everything. It prints CPU per span, per OTLP log record, per counter
 * update and per instrumented HTTP round trip (client and server in one
 * process, telemetry on minus off), then a checkout's telemetry at these
 * best-case prices. `bench:overhead` prints what the same telemetry costs in the
 * running shop and the 10% budget.
 *
 * Each measurement runs in a fresh child process: HTTP instrumentation, once
 * loaded, cannot be switched off.
 */
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { openSync } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createLogger } from '../../demo-services/shared/logger';
import { startTelemetry, type Telemetry } from '../../demo-services/shared/telemetry';

const { values } = parseArgs({
  options: {
    part: { type: 'string' },
    // A checkout as bench:overhead counts it: 7 of its ~28 spans are the HTTP instrumentation's.
    'http-round-trips': { type: 'string', default: '3' },
    spans: { type: 'string', default: '21' },
    'log-records': { type: 'string', default: '13' },
    'counter-updates': { type: 'string', default: '7' },
  },
});

const SETTLE_MS = 1500; // past the batch processors' 1 s delay, so the export of what was measured is counted

const cpuMicros = () => {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU per call of `op`, run `count` times, 8 at a time, the export of what it produced included. */
async function cpuPerCall(count: number, op: (i: number) => unknown): Promise<number> {
  for (let i = 0; i < count / 10; i++) await op(i);
  await pause(SETTLE_MS);
  const before = cpuMicros();
  for (let i = 0; i < count; i += 8) {
    await Promise.all(Array.from({ length: 8 }, (_, j) => op(i + j)));
    // Synchronous operations never reach the event loop otherwise: the batch processors' timers must run.
    if (i % 256 === 0) await new Promise(setImmediate);
  }
  await pause(SETTLE_MS);
  return (cpuMicros() - before) / count;
}

/** A receiver that answers every export 200 and keeps nothing, in a process of its own so its CPU is not counted. */
async function startDroppingReceiver() {
  const receiver = spawn(
    process.execPath,
    ['-e', "const s=require('node:http').createServer((q,r)=>{q.resume();q.on('end',()=>r.end())});s.listen(0,'127.0.0.1',()=>console.log(s.address().port))"],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [port] = (await once(receiver.stdout!, 'data')) as [Buffer];
  return { endpoint: `http://127.0.0.1:${String(port).trim()}`, stop: () => receiver.kill() };
}

function telemetry(endpoint: string, enabled: boolean): Telemetry {
  return startTelemetry({ serviceName: 'floor', serviceVersion: '1', environment: 'bench', endpoint, protocol: 'http/protobuf', metricIntervalMs: 60_000, enabled });
}

async function httpRoundTrip(telemetryOn: boolean, endpoint: string): Promise<number> {
  const sdk = telemetry(endpoint, telemetryOn);
  // The instrumented module object, as a service loads it.
  const http = createRequire(import.meta.url)('node:http') as typeof import('node:http');
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const agent = new http.Agent({ keepAlive: true });
  const call = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/orders', method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end('{"items":1}');
    });
  const micros = await cpuPerCall(20_000, call);
  agent.destroy();
  server.close();
  await sdk.shutdown();
  return micros;
}

async function items(endpoint: string): Promise<Record<string, number>> {
  const sdk = telemetry(endpoint, true);
  const devNull = pino.destination({ dest: openSync('/dev/null', 'w'), sync: true });
  const bridged = createLogger({ serviceName: 'floor', loggerProvider: sdk.loggerProvider, destination: devNull });
  const localOnly = createLogger({ serviceName: 'floor', destination: devNull });
  const counter = sdk.meter.createCounter('floor.calls');
  const line = (logger: typeof bridged) => (i: number) => logger.info({ order_id: i, latency_ms: 1.5 }, 'request completed');
  const result = {
    span: await cpuPerCall(50_000, (i) =>
      sdk.tracer.startActiveSpan('inventory reserve', { attributes: { 'order.id': i, 'peer.service': 'inventory' } }, (span) => {
        span.setAttribute('resilience.retry.attempt', 0);
        span.end();
      }),
    ),
    logRecord: (await cpuPerCall(50_000, line(bridged))) - (await cpuPerCall(50_000, line(localOnly))),
    counterUpdate: await cpuPerCall(200_000, (i) => counter.add(1, { outcome: i % 2 ? 'success' : 'failure', dependency: 'inventory' })),
  };
  await sdk.shutdown();
  return result;
}

async function runPart(part: string): Promise<void> {
  const receiver = await startDroppingReceiver();
  try {
    const result = part === 'items' ? await items(receiver.endpoint) : { roundTrip: await httpRoundTrip(part === 'http-on', receiver.endpoint) };
    process.stdout.write(JSON.stringify(result));
  } finally {
    receiver.stop();
  }
}

function measureInChild(part: string): Record<string, number> {
  process.stderr.write(`measuring ${part}…\n`);
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--part', part], { encoding: 'utf8' })) as Record<string, number>;
}

if (values.part) {
  await runPart(values.part);
} else {
  const off = measureInChild('http-off').roundTrip!;
  const on = measureInChild('http-on').roundTrip!;
  const prices = measureInChild('items');
  const hop = on - off;
  const counts = {
    roundTrips: Number(values['http-round-trips']),
    spans: Number(values.spans),
    logRecords: Number(values['log-records']),
    counterUpdates: Number(values['counter-updates']),
  };
  const floor = counts.roundTrips * hop + counts.spans * prices.span! + counts.logRecords * prices.logRecord! + counts.counterUpdates * prices.counterUpdate!;
  const us = (micros: number) => `${micros.toFixed(1).padStart(7)} µs`;
  console.log('Best-case CPU of the demo\'s telemetry (tight loop, idle process, export included):');
  console.log(`  HTTP round trip, client and server  ${us(off)} without telemetry, ${us(on).trim()} with: +${hop.toFixed(1)} µs`);
  console.log(`  span with attributes                ${us(prices.span!)}`);
  console.log(`  OTLP log record (beyond the line)   ${us(prices.logRecord!)}`);
  console.log(`  counter update                      ${us(prices.counterUpdate!)}`);
  console.log(
    `A checkout's telemetry at these prices (${counts.roundTrips} instrumented round trips, ${counts.spans} other spans, ${counts.logRecords} log records, ${counts.counterUpdates} counter updates): ${(floor / 1000).toFixed(2)} ms of CPU.`,
  );
  console.log('Compare with the 10% budget and the running shop\'s cost that `npm run bench:overhead` prints.');
}

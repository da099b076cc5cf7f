/**
 * Server mode, run for real: Faultline A (an embedded store with ClickHouse's HTTP interface and its
 * admin user on, in this process) is the ClickHouse of two collectors and a dashboard running as
 * their own processes with CLICKHOUSE_URL pointing at it — the path teams take when they outgrow one
 * machine, with the real ClickHouse engine behind the real protocol.
 *
 * Beside it, Faultline E (`npm start`'s entry on a store of its own) is the embedded-mode reference.
 * Both get the same telemetry (tests/support/shopTelemetry.ts): A through both collectors at once
 * (RowBinary inserts over HTTP), E through its own collector. Every span A's collectors acknowledged
 * must be in A, and every dashboard API route, the SLO evaluator's answers and the Jaeger API must
 * answer the same from both.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { once } from 'node:events';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@/demo-services/testing';
import { migrate } from '@/lib/clickhouse/migrate';
import { migrateQueryViews } from '@/lib/clickhouse/queryViews';
import { openStore, type Store } from '@/lib/clickhouse/store';
import { loadConfig } from '@/lib/config';
import { shopTelemetry } from '@/tests/support/shopTelemetry';
import { startClickHouseHttp } from './clickhouseHttp/server';
import { ensureDashboardBuild } from './ensureDashboardBuild';
import type { Listening } from './listen';

const adminPassword = 'server mode admin';
const root = join(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'faultline-server-mode-'));
const sloFile = join(work, 'faultline.slo.yaml');
const now = Date.now();
const range = `from=${now - 30 * 60_000}&to=${now + 5 * 60_000}`;
const telemetry = shopTelemetry({ baseMs: now - 150_000 });

type Running = { child: ChildProcess; output: () => string; printed(pattern: RegExp): Promise<RegExpExecArray> };
const children: Running[] = [];

/** A Faultline entry point (`server/*.ts`) as its own process, as `npm run …` starts it. */
function run(entry: string, env: Record<string, string>): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', FAULTLINE_OTLP_PORT: '0', FAULTLINE_OTLP_GRPC_PORT: '0', FAULTLINE_ZIPKIN_PORT: '0', FAULTLINE_UI_PORT: '0', FAULTLINE_JAEGER_PORT: '0', FAULTLINE_CLICKHOUSE_HTTP_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const running: Running = {
    child,
    output: () => output,
    printed: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output);
          if (match) resolve(match);
        };
        check();
        child.stdout!.on('data', check);
        child.once('exit', (code) => reject(new Error(`${entry} exited (${code}) before printing ${pattern}:\n${output}`)));
      }),
  };
  children.push(running);
  return running;
}

let storeA: Store;
let interfaceA: Listening;
let dashboardB: string;
let jaegerB: string;
let dashboardE: string;
let jaegerE: string;
let collectors: string[];
let otlpE: string;

beforeAll(async () => {
  ensureDashboardBuild();
  // Burns fast enough to fire within two evaluations: a quarter of the gateway's requests fail.
  writeFileSync(
    sloFile,
    [
      'webhooks: []',
      'slos:',
      '  - { id: gateway-availability, service: gateway, objective: availability, target: 99.5, window: 1d }',
      '  - { id: gateway-latency, service: gateway, objective: latency, thresholdMs: 500, target: 99, window: 1d }',
      "  - { id: charges, service: payment, operation: 'POST /charges', objective: availability, target: 99.9, window: 7d }",
    ].join('\n'),
  );
  const configA = loadConfig({ FAULTLINE_DATA_DIR: join(work, 'a'), FAULTLINE_CLICKHOUSE_HTTP_PORT: '0', FAULTLINE_CLICKHOUSE_HTTP_ADMIN_PASSWORD: adminPassword });
  storeA = await openStore(configA);
  interfaceA = await startClickHouseHttp(storeA, configA.clickhouseHttp, { maxBodyBytes: configA.otlp.maxBodyBytes });

  const server = { CLICKHOUSE_URL: interfaceA.url, CLICKHOUSE_USER: 'admin', CLICKHOUSE_PASSWORD: adminPassword, FAULTLINE_BATCH_MAX_DELAY_MS: '200', FAULTLINE_BATCH_IDLE_MS: '20' };
  const slo = { FAULTLINE_SLO_FILE: sloFile, FAULTLINE_SLO_INTERVAL_MS: '1000' };
  const c1 = run('server/collector.ts', { ...server, FAULTLINE_DATA_DIR: join(work, 'c1') });
  const c2 = run('server/collector.ts', { ...server, FAULTLINE_DATA_DIR: join(work, 'c2') });
  const b = run('server/ui.ts', { ...server, ...slo, FAULTLINE_DATA_DIR: join(work, 'b') });
  const e = run('server/start.ts', { ...slo, FAULTLINE_DEMO: '0', FAULTLINE_DATA_DIR: join(work, 'e'), FAULTLINE_BATCH_MAX_DELAY_MS: '200', FAULTLINE_BATCH_IDLE_MS: '20' });
  const otlp = /send OTLP\/HTTP to (http:\/\/\S+)/;
  const [m1, m2, mb, ...me] = await Promise.all([
    c1.printed(otlp),
    c2.printed(otlp),
    b.printed(/Faultline dashboard on (\S+), Jaeger query API on (\S+)/),
    e.printed(/Dashboard +(http:\/\/\S+)/),
    e.printed(/OTLP\/HTTP +(http:\/\/\S+)/),
    e.printed(/Jaeger API +(http:\/\/\S+)/),
  ]);
  collectors = [m1[1]!, m2[1]!];
  [dashboardB, jaegerB] = [mb[1]!, mb[2]!];
  [dashboardE, otlpE, jaegerE] = me.map((match) => match[1]!) as [string, string, string];
}, 600_000);

afterAll(async () => {
  await Promise.all(
    children.map(async ({ child }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }),
  );
  await interfaceA?.close();
  await storeA?.close();
  rmSync(work, { recursive: true, force: true });
});

async function post(url: string, body: string): Promise<number> {
  const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await answer.arrayBuffer();
  return answer.status;
}

async function countInA(table: string): Promise<number> {
  const result = await storeA.client.query({ query: `SELECT count() AS n FROM faultline.${table}`, format: 'JSONEachRow' });
  return Number((await result.json<{ n: number }>())[0]!.n);
}

describe('server mode over ClickHouse\'s HTTP interface', () => {
  it('migrates an already migrated store without changing it', async () => {
    const client = createClient({ url: interfaceA.url, username: 'admin', password: adminPassword, log: { level: ClickHouseLogLevel.OFF } });
    try {
      const schema = { database: 'faultline', retentionDays: 7 };
      expect(await migrate(client, schema)).toEqual({ applied: [], fullText: true });
      expect(await migrateQueryViews(client, schema)).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('stores every span both collectors acknowledge, ingesting at once', { timeout: 120_000 }, async () => {
    const sent = await Promise.all([
      ...telemetry.traces.map(async ({ body, spans }, i) => ((await post(`${collectors[i % 2]}/v1/traces`, body)) === 200 ? spans : 0)),
      ...telemetry.logs.map((body, i) => post(`${collectors[i % 2]}/v1/logs`, body).then((status) => expect(status).toBe(200))),
      ...telemetry.metrics.map((body, i) => post(`${collectors[i % 2]}/v1/metrics`, body).then((status) => expect(status).toBe(200))),
    ]);
    const acknowledged = sent.slice(0, telemetry.traces.length).reduce((sum: number, spans) => sum + (spans as number), 0);
    expect(acknowledged).toBe(telemetry.spanCount);
    expect(await countInA('otel_traces')).toBe(acknowledged);
    expect(await countInA('otel_logs')).toBeGreaterThan(0);

    // The embedded reference gets the same bodies through its own collector.
    for (const { body } of telemetry.traces) expect(await post(`${otlpE}/v1/traces`, body)).toBe(200);
    for (const body of telemetry.logs) expect(await post(`${otlpE}/v1/logs`, body)).toBe(200);
    for (const body of telemetry.metrics) expect(await post(`${otlpE}/v1/metrics`, body)).toBe(200);
  });

  it('answers every dashboard API route, the SLO evaluator and the Jaeger API from A the same as the embedded store', { timeout: 120_000 }, async () => {
    // Both evaluators have seen the data twice: the availability alert is firing on both.
    await eventually(
      'both SLO evaluators to fire',
      async () => {
        const [fromB, fromE] = await Promise.all([getJson(`${dashboardB}/api/slos`), getJson(`${dashboardE}/api/slos`)]);
        const firing = (list: { slos: { slo: { id: string }; alert: { state: string } | null }[] }) => list.slos.find((slo) => slo.slo.id === 'gateway-availability')?.alert?.state === 'firing';
        return firing(fromB.body as never) && firing(fromE.body as never) ? true : undefined;
      },
      45_000,
    );

    const [trace] = telemetry.traceIds;
    const breaker = encodeURIComponent('payment->payment-provider');
    const paths = [
      `/api/services?${range}`,
      `/api/services/gateway/operations?${range}`,
      `/api/services/order/dependencies?${range}`,
      `/api/services/payment/series?${range}`,
      `/api/traces?${range}&limit=1000`,
      `/api/traces?${range}&service=gateway&status=error`,
      `/api/traces?${range}&minDurationMs=500&kind=Server`,
      `/api/traces?${range}&attr=${encodeURIComponent("note=it's a \\ quote")}`,
      `/api/traces/${trace}`,
      `/api/traces/${telemetry.errorTraceId}`,
      `/api/traces/${telemetry.errorTraceId}/logs`,
      `/api/traces/${telemetry.errorTraceId}/spans/${telemetry.errorSpanId}`,
      `/api/logs?${range}&limit=500`,
      `/api/logs?${range}&severity=error&q=${encodeURIComponent('provider answered')}`,
      `/api/logs?${range}&attr=${encodeURIComponent('order.id=o-1')}`,
      `/api/logs/volume?${range}`,
      `/api/breakers?${range}`,
      `/api/breakers/timeline?${range}&service=payment&name=${breaker}`,
      `/api/service-map?${range}`,
      `/api/findings?${range}`,
      `/api/annotations?${range}`,
      `/api/slos`,
      `/api/slos/gateway-availability?${range}`,
      `/api/slos/charges?${range}`,
      `/api/slos/file`,
      `/api/slos/webhooks`,
      `/api/health`,
    ];
    // Every GET route under app/api is asked at least once.
    const routes = routeTemplates(join(root, 'app/api'));
    const asked = routes.filter((template) => paths.some((path) => template.test(path.split('?')[0]!)));
    expect(asked.map(String)).toEqual(routes.map(String));

    const differences: string[] = [];
    const answers = new Map<string, unknown>();
    for (const path of paths) {
      const [fromB, fromE] = await Promise.all([getJson(`${dashboardB}${path}`), getJson(`${dashboardE}${path}`)]);
      answers.set(path, fromB.body);
      expect({ path, status: fromB.status }).toEqual({ path, status: 200 });
      expect({ path, status: fromE.status }).toEqual({ path, status: 200 });
      const difference = firstDifference(normalize(path, fromB.body), normalize(path, fromE.body));
      if (difference) differences.push(`${path}: ${difference}`);
    }
    expect(differences).toEqual([]);

    const micros = (ms: number) => ms * 1000;
    const jaegerPaths = [
      '/api/services',
      '/api/services/payment/operations',
      `/api/traces?service=gateway&start=${micros(now - 30 * 60_000)}&end=${micros(now + 60_000)}&limit=100`,
      `/api/traces/${telemetry.errorTraceId}`,
      `/api/dependencies?endTs=${now + 60_000}&lookback=3600000`,
    ];
    for (const path of jaegerPaths) {
      const [fromB, fromE] = await Promise.all([getJson(`${jaegerB}${path}`), getJson(`${jaegerE}${path}`)]);
      expect({ path, status: fromB.status }).toEqual({ path, status: 200 });
      expect({ path, body: fromB.body }).toEqual({ path, body: fromE.body });
    }
    // Equal, and not equally empty: each page has something to show.
    const answer = <T>(path: string) => answers.get(path) as T;
    expect(answer<{ services: { service: string }[] }>(`/api/services?${range}`).services.map((row) => row.service).sort()).toEqual(['gateway', 'inventory', 'order', 'payment']);
    expect(answer<{ traces: unknown[] }>(`/api/traces?${range}&limit=1000`).traces).toHaveLength(telemetry.traceIds.length);
    expect(answer<{ traces: unknown[] }>(`/api/traces?${range}&attr=${encodeURIComponent("note=it's a \\ quote")}`).traces).toHaveLength(20);
    expect(answer<{ lines: unknown[] }>(`/api/logs?${range}&limit=500`).lines.length).toBeGreaterThan(60);
    expect(answer<{ breakers: unknown[] }>(`/api/breakers?${range}`).breakers.length).toBeGreaterThan(0);
    expect(answer<{ edges: unknown[] }>(`/api/service-map?${range}`).edges.length).toBeGreaterThanOrEqual(4);
    expect(answer<{ findings: unknown[] }>(`/api/findings?${range}`).findings.length).toBeGreaterThan(0);
  });
});

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const answer = await fetch(url);
  const text = await answer.text();
  try {
    return { status: answer.status, body: JSON.parse(text) };
  } catch {
    return { status: answer.status, body: text };
  }
}

/** Where two JSON values first differ (`a.b[2]: server ≠ embedded`), or undefined. */
function firstDifference(server: unknown, embedded: unknown, at = ''): string | undefined {
  if (JSON.stringify(server) === JSON.stringify(embedded)) return undefined;
  if (server && embedded && typeof server === 'object' && typeof embedded === 'object') {
    const keys = new Set([...Object.keys(server), ...Object.keys(embedded)]);
    for (const key of keys) {
      const found = firstDifference((server as Record<string, unknown>)[key], (embedded as Record<string, unknown>)[key], Array.isArray(server) ? `${at}[${key}]` : `${at}.${key}`);
      if (found) return found;
    }
  }
  return `${at || '(the answer)'}: server mode ${JSON.stringify(server)?.slice(0, 200)} ≠ embedded ${JSON.stringify(embedded)?.slice(0, 200)}`;
}

/**
 * What may rightly differ between the two: which kind of store answers, and when each evaluator ran.
 * An alert change is a snapshot its evaluator took on its own clock, maybe while the data was still
 * arriving: its state, severity and rule are compared, not the burn rates and traces of that moment.
 * The SLOs' burn rates now, computed for the request, are compared in full.
 */
const alertSnapshot = new Set(['timeMs', 'longBurnRate', 'shortBurnRate', 'message', 'exampleTraceIds']);
function normalize(path: string, body: unknown): unknown {
  return JSON.parse(JSON.stringify(body), function (this: Record<string, unknown>, key, value) {
    if (key === 'lastEvaluatedMs') return undefined;
    if (path.startsWith('/api/slos') && alertSnapshot.has(key) && 'sloId' in this && 'state' in this) return undefined;
    // What the hosting process knows of itself: a separate dashboard hosts no collector.
    if (path === '/api/health' && (key === 'store' || key === 'otlpPort' || key === 'ingest')) return undefined;
    return value;
  });
}

/** `app/api/…/route.ts` files with a GET, as patterns over request paths (`[param]` matches one segment). */
function routeTemplates(dir: string): RegExp[] {
  const found: RegExp[] = [];
  const visit = (path: string) => {
    for (const entry of readdirSync(path)) {
      const full = join(path, entry);
      if (statSync(full).isDirectory()) visit(full);
      else if (entry === 'route.ts' && /export const GET\b/.test(readFileSync(full, 'utf8'))) {
        const template = relative(join(dir, '..'), path).split('/').map((segment) => (/^\[.+\]$/.test(segment) ? '[^/]+' : segment.replace(/[-]/g, '\\-')));
        found.push(new RegExp(`^/${template.join('/')}$`));
      }
    }
  };
  visit(dir);
  return found.sort((a, b) => String(a).localeCompare(String(b)));
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFaultline, type TestFaultline } from '@/tests/support/faultline';
import { listAlertHistory, listCurrentAlerts } from './alertStore';
import { startSloEvaluator, type AlertNotification, type SloEvaluator } from './evaluator';
import { readSloStatus } from '../host';
import { getSloFileText, putSloFileText } from './sloEdits';
import { getSloDetail, listSlos } from './sloReport';

let faultline: TestFaultline;
let receiver: Server;
let evaluator: SloEvaluator;
const received: AlertNotification[] = [];
const logged: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'faultline-slo-'));
const file = join(dir, 'faultline.slo.yaml');
const at = (ms: number) => new Date(ms).toISOString();
let spanCounter = 0;

/** `count` requests of a service in the two minutes before `endMs`, `errors` of them failed. */
async function insertRequests(count: number, errors: number, { service = 'checkout', endMs = Date.now() } = {}) {
  const values = Array.from({ length: count }, (_, i) => {
    const id = (++spanCounter).toString(16).padStart(16, '0');
    return {
      Timestamp: at(endMs - 100_000 + (i % 90_000)),
      TraceId: id.padStart(32, 'f'),
      SpanId: id,
      SpanName: 'POST /checkout',
      SpanKind: 'Server',
      ServiceName: service,
      Duration: 20_000_000,
      StatusCode: i < errors ? 'Error' : 'Unset',
    };
  });
  await faultline.store.client.insert({
    table: `${faultline.store.database}.otel_traces`,
    values,
    format: 'JSONEachRow',
    clickhouse_settings: { date_time_input_format: 'best_effort' },
  });
}

async function until<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last saw ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const state = async () => (await listCurrentAlerts(faultline.store)).find((alert) => alert.sloId === 'checkout-availability')?.state ?? 'ok';

beforeAll(async () => {
  faultline = await startTestFaultline();
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push(JSON.parse(body) as AlertNotification);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const { port } = receiver.address() as AddressInfo;
  writeFileSync(
    file,
    [
      'webhooks:',
      `  - url: http://127.0.0.1:${port}/alerts`,
      'slos:',
      '  - id: checkout-availability',
      '    service: checkout',
      '    operation: POST /checkout',
      '    objective: availability',
      '    target: 99',
      '    window: 30d',
      '  - { id: ledger-availability, service: ledger, objective: availability, target: 99, window: 30d }',
    ].join('\n'),
  );
  evaluator = startSloEvaluator(faultline.store, { file, intervalMs: 100, dashboardUrl: 'http://faultline.test', log: (message) => logged.push(message) });
});

afterAll(async () => {
  await evaluator?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
  await faultline?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the SLO evaluator', () => {
  it('publishes the definitions it loaded', () => {
    expect(readSloStatus()?.definitions.slos.map((slo) => slo.id)).toEqual(['checkout-availability', 'ledger-availability']);
  });

  it('fires on an error burst and resolves once the errors are diluted, announcing each exactly once', async () => {
    // Half of 200 requests fail: a 50× burn of a 1 % budget, in every window.
    await insertRequests(200, 100);
    await until('firing', state, (s) => s === 'firing');
    // 20,000 good requests bring every window under 1× (100 bad of 20,200 is 0.5 %).
    await insertRequests(20_000, 0);
    await until('ok after resolved', state, (s) => s === 'ok');
    await until('two notifications', async () => received.length, (n) => n >= 2, 5_000);
    await evaluator.evaluateNow();

    expect(received.map((n) => n.status)).toEqual(['firing', 'resolved']);
    expect(logged).toEqual([]);
    const [firing] = received as [AlertNotification];
    expect(firing).toMatchObject({
      version: 1,
      severity: 'page',
      rule: { name: 'page-1h', burnRate: 14.4 },
      slo: { id: 'checkout-availability', service: 'checkout', objective: 'availability', target: 99, windowMs: 30 * 86_400_000 },
    });
    expect(firing.longBurnRate).toBeCloseTo(50, 6);
    expect(firing.exampleTraces.length).toBeGreaterThan(0);
    expect(firing.exampleTraces[0]?.url).toMatch(/^http:\/\/faultline\.test\/traces\/[0-9a-f]{32}$/);
    received.length = 0;
  });

  it('keeps every state change in the history, newest first', async () => {
    const history = await listAlertHistory(faultline.store, 'checkout-availability');
    expect(history.map((change) => change.state)).toEqual(['ok', 'resolved', 'firing', 'pending']);
    expect(history[2]?.exampleTraceIds.length).toBeGreaterThan(0);
  });

  it('reports the SLI, the budget left and each rule’s burn rates over the data', async () => {
    const { slos } = await listSlos(faultline.store);
    // 20,200 requests, 100 bad: SLI 99.505 %; 0.495 % bad spends 49.5 % of a 1 % budget.
    expect(slos[0]).toMatchObject({ total: 20_200, bad: 100, alert: { state: 'ok' } });
    expect(slos[0]?.sli).toBeCloseTo(20_100 / 20_200, 12);
    expect(slos[0]?.budgetRemaining).toBeCloseTo(1 - 100 / 20_200 / 0.01, 9);
    expect(slos[0]?.rules.map((rule) => [rule.name, +rule.longBurnRate.toFixed(4), rule.holds])).toEqual([
      ['page-1h', 0.495, false],
      ['page-6h', 0.495, false],
      ['ticket-3d', 0.495, false],
    ]);
    const now = Date.now();
    const detail = await getSloDetail(faultline.store, { id: 'checkout-availability', from: now - 3_600_000, to: now });
    expect(detail.series.reduce((sum, point) => sum + point.total, 0)).toBe(20_200);
    expect(detail.history.map((change) => change.state)).toEqual(['ok', 'resolved', 'firing', 'pending']);
  });

  it('announces a firing ticket again when it escalates to a page', async () => {
    const ledger = async () => (await listCurrentAlerts(faultline.store)).find((alert) => alert.sloId === 'ledger-availability');
    // Five hours ago, 5 % of requests failed: a 5× burn over 6 h and 3 days, a ticket; no page (the
    // last 30 minutes are clean).
    await insertRequests(600, 30, { service: 'ledger', endMs: Date.now() - 5 * 3_600_000 });
    await until('a firing ticket', ledger, (alert) => alert?.state === 'firing');
    expect((await ledger())?.severity).toBe('ticket');
    // Now every request fails: the page rules hold too.
    await insertRequests(100, 100, { service: 'ledger' });
    await until('a page', ledger, (alert) => alert?.severity === 'page');
    await until('two notifications', async () => received.length, (n) => n >= 2, 5_000);
    expect(received.map((n) => [n.slo.id, n.status, n.severity])).toEqual([
      ['ledger-availability', 'firing', 'ticket'],
      ['ledger-availability', 'firing', 'page'],
    ]);
  });

  it('refuses a bad edit of the file, keeping the SLOs in force and naming the field', async () => {
    writeFileSync(file, 'slos:\n  - id: checkout-availability\n    service: checkout\n    objective: availability\n    target: 101\n    window: 30d\n');
    const status = await until('the reload', async () => readSloStatus(), (s) => s?.loadError != null, 5_000);
    expect(status?.loadError).toMatch(/slos\[0\]\.target: must be below 100/);
    expect(status?.definitions.slos.map((slo) => slo.id)).toEqual(['checkout-availability', 'ledger-availability']);
  });

  it('saves an edit from the dashboard only when it is valid, naming the refused field', async () => {
    const before = readFileSync(file, 'utf8');
    expect(() => putSloFileText('slos:\n  - { id: x, service: s, objective: latency, target: 99, window: 1d }\n')).toThrow(
      /slos\[0\]\.thresholdMs: is required for a latency SLO/,
    );
    expect(readFileSync(file, 'utf8')).toBe(before);

    const edited = 'slos:\n  - { id: checkout-latency, service: checkout, objective: latency, thresholdMs: 250, target: 99, window: 7d }\n';
    const loaded = getSloFileText();
    expect(putSloFileText(edited, loaded.version)).toMatchObject({ file, slos: 1 });
    expect(getSloFileText()).toMatchObject({ file, text: edited });
    const status = await until('the reload', async () => readSloStatus(), (s) => s?.definitions.slos[0]?.id === 'checkout-latency', 5_000);
    expect(status?.loadError).toBeNull();
  });

  it('refuses a whole-file save made from a text that has changed since, keeping the change', async () => {
    const loaded = getSloFileText();
    const changed = loaded.text.replace('target: 99,', 'target: 99.5,');
    expect(putSloFileText(changed, loaded.version)).toMatchObject({ slos: 1 });
    const stale = loaded.text.replace('window: 7d', 'window: 14d');
    expect(() => putSloFileText(stale, loaded.version)).toThrow(expect.objectContaining({ status: 409, message: expect.stringMatching(/has changed since this text was loaded/) }));
    expect(readFileSync(file, 'utf8')).toBe(changed);
    expect(getSloFileText().version).not.toBe(loaded.version);
  });
});

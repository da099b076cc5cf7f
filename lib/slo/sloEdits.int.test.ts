import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadParameterError } from '@/lib/errors';
import { startTestFaultline, type TestFaultline } from '@/tests/support/faultline';
import { startSloEvaluator, type SloEvaluator } from './evaluator';
import { addSlo, deleteSlo, getWebhooks, putWebhooks, replaceSlo } from './sloEdits';
import { listSlos } from './sloReport';

let faultline: TestFaultline;
let evaluator: SloEvaluator;
const dir = mkdtempSync(join(tmpdir(), 'faultline-slo-edits-'));
const file = join(dir, 'faultline.slo.yaml');
const original = 'slos:\n  - { id: ledger-availability, service: ledger, objective: availability, target: 99, window: 30d }\n';

/** 100 requests of `service` in the last minutes, `slow` of them over a second long. */
async function insertRequests(service: string, slow: number) {
  const now = Date.now();
  const values = Array.from({ length: 100 }, (_, i) => ({
    Timestamp: new Date(now - 60_000 + i * 100).toISOString(),
    TraceId: (i + 1).toString(16).padStart(32, 'e'),
    SpanId: (i + 1).toString(16).padStart(16, 'e'),
    SpanName: 'GET /stock',
    SpanKind: 'Server',
    ServiceName: service,
    Duration: i < slow ? 1_500_000_000 : 20_000_000,
    StatusCode: 'Unset',
  }));
  await faultline.store.client.insert({
    table: `${faultline.store.database}.otel_traces`,
    values,
    format: 'JSONEachRow',
    clickhouse_settings: { date_time_input_format: 'best_effort' },
  });
}

const refusal = (edit: () => unknown): BadParameterError => {
  try {
    edit();
  } catch (error) {
    if (error instanceof BadParameterError) return error;
    throw error;
  }
  throw new Error('the edit was accepted');
};

beforeAll(async () => {
  faultline = await startTestFaultline();
  writeFileSync(file, original);
  // A long interval: these edits must be in force without the watcher or an evaluation.
  evaluator = startSloEvaluator(faultline.store, { file, intervalMs: 3_600_000 });
  await insertRequests('inventory', 4);
});

afterAll(async () => {
  await evaluator?.stop();
  await faultline?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('editing SLOs from the dashboard', () => {
  it('lists an added SLO at once, with its SLI over the stored requests', async () => {
    expect(addSlo({ id: 'stock-latency', name: '', service: 'inventory', operation: 'GET /stock', objective: 'latency', thresholdMs: 1000, target: 99, window: '7d' })).toEqual({ file, slos: 2 });
    const listed = (await listSlos(faultline.store)).slos.find((summary) => summary.slo.id === 'stock-latency');
    expect(listed).toMatchObject({ slo: { name: 'stock-latency', service: 'inventory', thresholdMs: 1000, windowMs: 7 * 86_400_000 }, total: 100, bad: 4, sli: 0.96 });
  });

  it('refuses a bad SLO with a 400 that names each wrong field, leaving the file as it was', () => {
    const before = readFileSync(file, 'utf8');
    const error = refusal(() => addSlo({ id: 'Bad Id', service: 'inventory', objective: 'availability', target: 100, window: '7d' }));
    expect(error.status).toBe(400);
    expect(error.fields).toEqual({ id: 'must be lowercase letters, digits and dashes (at most 63)', target: 'must be below 100' });
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('lists an edited SLO’s new figures at once', async () => {
    replaceSlo('stock-latency', { id: 'stock-latency', service: 'inventory', objective: 'availability', target: 99.5, window: '7d' });
    const listed = (await listSlos(faultline.store)).slos.find((summary) => summary.slo.id === 'stock-latency');
    expect(listed).toMatchObject({ slo: { objective: 'availability', target: 99.5 }, total: 100, bad: 0, sli: 1 });
  });

  it('drops a deleted SLO from the list at once', async () => {
    expect(deleteSlo('stock-latency')).toEqual({ file, slos: 1 });
    expect((await listSlos(faultline.store)).slos.map((summary) => summary.slo.id)).toEqual(['ledger-availability']);
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it('saves the webhooks, naming a wrong URL by its place in the list', () => {
    expect(refusal(() => putWebhooks([{ url: 'mailto:oncall@example.com' }])).fields).toEqual({ 'webhooks[0].url': 'must be an http or https URL' });
    putWebhooks([{ url: 'http://127.0.0.1:9/alerts', headers: { authorization: 'Bearer t' } }]);
    expect(getWebhooks()).toEqual({ webhooks: [{ url: 'http://127.0.0.1:9/alerts', headers: { authorization: 'Bearer t' } }] });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchBody, makeSpans, tracesProtobuf } from '../tests/support/otlpBodies';
import { startTestFaultline, type TestFaultline } from '../tests/support/faultline';
import { parseMetricsText } from './receiverMetrics';

let faultline: TestFaultline;
const token = 'metrics-test-token';
const authorized = { Authorization: `Bearer ${token}` };

beforeAll(async () => {
  faultline = await startTestFaultline({ FAULTLINE_INGEST_TOKEN: token });
});
afterAll(async () => {
  await faultline.stop();
});

function post(path: string, body: Buffer | string, headers: Record<string, string>) {
  return fetch(`${faultline.otlpEndpoint}${path}`, { method: 'POST', headers, body: fetchBody(body) });
}

/** The series of the collector's own metrics, `name{labels}` → value. */
async function scrape(): Promise<Record<string, number>> {
  const response = await fetch(`${faultline.otlpEndpoint}/metrics`, { headers: authorized });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return Object.fromEntries(parseMetricsText(await response.text()));
}

describe('GET /metrics on the OTLP/HTTP port', () => {
  it('needs the ingest token when one is set', async () => {
    expect((await fetch(`${faultline.otlpEndpoint}/metrics`)).status).toBe(401);
    expect((await fetch(`${faultline.otlpEndpoint}/metrics`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
  });

  it('counts accepted items, items refused by reason and requests refused by status', async () => {
    const fresh = makeSpans({ service: 'metrics-fresh', spans: 3 });
    // 2018 lies before the retention window whatever today's date: these items must be refused as too old.
    const from2018 = makeSpans({ service: 'metrics-old', spans: 2, startMs: Date.UTC(2018, 11, 13) });
    const traces = await post('/v1/traces', tracesProtobuf([...fresh, ...from2018]), { ...authorized, 'Content-Type': 'application/x-protobuf' });
    expect(traces.status).toBe(200);

    const invalid = { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'not-hex', name: 'bad', startTimeUnixNano: String(Date.now() * 1e6) };
    const invalidBody = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [invalid] }] }] });
    expect((await post('/v1/traces', invalidBody, { ...authorized, 'Content-Type': 'application/json' })).status).toBe(200);

    const lines = [{ msg: 'now' }, { msg: 'old', time: Date.UTC(2018, 0, 1) }, { msg: 'next week', time: Date.now() + 7 * 86_400_000 }];
    const logs = await post('/v1/logs/json', lines.map((line) => JSON.stringify(line)).join('\n'), { ...authorized, 'Content-Type': 'application/x-ndjson' });
    expect(logs.status).toBe(200);

    expect((await post('/v1/traces', tracesProtobuf(fresh), { 'Content-Type': 'application/x-protobuf' })).status).toBe(401);
    expect((await post('/v1/logs', 'x', { ...authorized, 'Content-Type': 'text/csv' })).status).toBe(415);
    expect((await post('/v1/logs', 'x', { ...authorized, 'Content-Type': 'text/csv' })).status).toBe(415);
    expect((await post('/v2/traces', 'x', authorized)).status).toBe(404);

    await faultline.store.caughtUp();
    const {
      faultline_receiver_inflight_bytes: inflight,
      faultline_store_staged_bytes: staged,
      'faultline_process_memory_bytes{kind="rss"}': rss,
      'faultline_process_memory_bytes{kind="heap_used"}': heapUsed,
      'faultline_process_memory_bytes{kind="array_buffers"}': arrayBuffers,
      ...counters
    } = await scrape();
    // Every request has been answered, so none holds memory; the process's memory is its own, read live.
    expect(inflight).toBe(0);
    expect(staged).toBe(0);
    expect(heapUsed).toBeGreaterThan(1024 * 1024);
    expect(arrayBuffers).toBeGreaterThan(0);
    expect(rss).toBeGreaterThan(heapUsed! + arrayBuffers!);
    expect(counters).toEqual({
      'faultline_receiver_accepted_items_total{signal="traces"}': 3,
      'faultline_receiver_accepted_items_total{signal="logs"}': 1,
      'faultline_receiver_accepted_items_total{signal="metrics"}': 0,
      'faultline_receiver_refused_items_total{signal="traces",reason="invalid"}': 1,
      'faultline_receiver_refused_items_total{signal="traces",reason="too_old"}': 2,
      'faultline_receiver_refused_items_total{signal="traces",reason="too_new"}': 0,
      'faultline_receiver_refused_items_total{signal="logs",reason="invalid"}': 0,
      'faultline_receiver_refused_items_total{signal="logs",reason="too_old"}': 1,
      'faultline_receiver_refused_items_total{signal="logs",reason="too_new"}': 1,
      'faultline_receiver_refused_items_total{signal="metrics",reason="invalid"}': 0,
      'faultline_receiver_refused_items_total{signal="metrics",reason="too_old"}': 0,
      'faultline_receiver_refused_items_total{signal="metrics",reason="too_new"}': 0,
      'faultline_receiver_refused_requests_total{signal="traces",status="401"}': 1,
      'faultline_receiver_refused_requests_total{signal="logs",status="415"}': 2,
      'faultline_receiver_refused_requests_total{signal="none",status="404"}': 1,
      // Only after an unclean stop (collector/restartDuplicates.int.test.ts).
      faultline_receiver_restart_duplicate_spans_total: 0,
      'faultline_store_inserts_total{table="otel_traces"}': 1,
      'faultline_store_inserts_total{table="otel_logs"}': 1,
    });
  });
});

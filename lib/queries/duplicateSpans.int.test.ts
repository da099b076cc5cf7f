import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFaultline, type TestFaultline } from '@/tests/support/faultline';
import { getSpan, getTrace, getTracesInFull } from './traceView';

let faultline: TestFaultline;
const traceId = 'd'.repeat(32);
const start = Math.floor(Date.now() / 1000) * 1000 - 5 * 60_000;
const spans = [
  { SpanId: '00000000000000a1', ParentSpanId: '', SpanName: 'GET /cart', SpanKind: 'Server', ServiceName: 'dup-gateway', offsetMs: 0 },
  { SpanId: '00000000000000a2', ParentSpanId: '00000000000000a1', SpanName: 'load cart', SpanKind: 'Client', ServiceName: 'dup-gateway', offsetMs: 5 },
].map(({ offsetMs, ...span }) => ({ ...span, TraceId: traceId, Timestamp: new Date(start + offsetMs).toISOString(), Duration: 20_000_000, StatusCode: 'Unset' }));

beforeAll(async () => {
  faultline = await startTestFaultline();
  // The same request committed twice, as when the collector died after the commit and its sender retried.
  for (let copy = 0; copy < 2; copy++) {
    await faultline.store.client.insert({
      table: 'faultline.otel_traces',
      format: 'JSONEachRow',
      clickhouse_settings: { date_time_input_format: 'best_effort' },
      values: spans,
    });
  }
});
afterAll(async () => {
  await faultline.stop();
});

describe('a span stored twice', () => {
  it('is stored twice, and the trace view, one span in full and traces in full (Jaeger) show it once', async () => {
    const rows = await faultline.query<{ n: string }>('SELECT count() AS n FROM faultline.otel_traces WHERE TraceId = {traceId:String}', { traceId });
    expect(rows.map((row) => Number(row.n))).toEqual([4]);
    expect((await getTrace(faultline.store, traceId)).spans.map((span) => span.spanId)).toEqual(['00000000000000a1', '00000000000000a2']);
    expect((await getSpan(faultline.store, traceId, '00000000000000a2')).name).toBe('load cart');
    const [inFull] = await getTracesInFull(faultline.store, [traceId]);
    expect(inFull?.spans.map((span) => span.spanId)).toEqual(['00000000000000a1', '00000000000000a2']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFaultline, type TestFaultline } from '@/tests/support/faultline';
import { migrateQueryViews } from '@/lib/clickhouse/queryViews';
import { NotFoundError } from '../errors';
import { listTraceLogs } from './traceLogs';
import { getSpan, getTrace } from './traceView';
import { searchTraces, traceSearchInput } from './traceSearch';
import type { Span, Trace } from '../contract/traces';

let faultline: TestFaultline;
const base = Math.floor(Date.now() / 1000) * 1000 - 10 * 60_000;
const range = { from: base - 60_000, to: base + 60_000 };
const traceA = 'a'.repeat(32);
const traceB = 'b'.repeat(32);
const settings = { date_time_input_format: 'best_effort' as const };

const span = (trace: string, id: string, parent: string, service: string, name: string, offsetMs: number, ms: number, extra: object = {}) => ({
  Timestamp: new Date(base + offsetMs).toISOString(),
  TraceId: trace,
  SpanId: id,
  ParentSpanId: parent,
  SpanName: name,
  SpanKind: parent ? 'Client' : 'Server',
  ServiceName: service,
  Duration: ms * 1_000_000,
  StatusCode: 'Unset',
  ...extra,
});

beforeAll(async () => {
  faultline = await startTestFaultline();
  const { client, database } = faultline.store;
  await client.insert({
    table: `${database}.otel_traces`,
    format: 'JSONEachRow',
    clickhouse_settings: settings,
    values: [
      span(traceA, '0000000000000001', '', 'gateway', 'POST /checkout', 0, 300),
      span(traceA, '0000000000000002', '0000000000000001', 'order', 'create order', 10, 250, {
        SpanAttributes: { 'resilience.circuit_breaker.name': 'order->payment', 'resilience.fallback.used': 'true', 'http.request.resend_count': '1', 'http.method': 'POST' },
        'Events.Timestamp': [new Date(base + 20).toISOString()],
        'Events.Name': ['retry'],
        'Events.Attributes': [{ attempt: '1' }],
        'Links.TraceId': [traceB],
        'Links.SpanId': ['0000000000000009'],
        'Links.TraceState': [''],
        'Links.Attributes': [{}],
      }),
      span(traceA, '0000000000000003', '0000000000000002', 'payment', 'charge', 20, 200, { StatusCode: 'Error', StatusMessage: 'declined' }),
      span(traceB, '0000000000000009', '', 'gateway', 'GET /products', 30_000, 40, { ResourceAttributes: { 'deployment.environment': 'test' } }),
    ],
  });
  await client.insert({
    table: `${database}.otel_logs`,
    format: 'JSONEachRow',
    clickhouse_settings: settings,
    values: [
      { Timestamp: new Date(base + 25).toISOString(), TraceId: traceA, SpanId: '0000000000000003', ServiceName: 'payment', SeverityText: 'ERROR', SeverityNumber: 17, Body: 'card declined' },
      { Timestamp: new Date(base + 5).toISOString(), TraceId: traceA, SpanId: '0000000000000001', ServiceName: 'gateway', SeverityText: 'INFO', SeverityNumber: 9, Body: 'checkout started' },
      { Timestamp: new Date(base + 6).toISOString(), TraceId: traceB, ServiceName: 'gateway', SeverityText: 'INFO', SeverityNumber: 9, Body: 'other trace' },
    ],
  });
});

afterAll(async () => {
  await faultline?.stop();
});

const search = (query: Record<string, unknown>) => searchTraces(faultline.store, traceSearchInput.parse({ ...range, ...query }));

describe('searchTraces', () => {
  it('summarises each matching trace over all its spans', async () => {
    expect(await search({ service: 'payment' })).toEqual([
      {
        traceId: traceA,
        startMs: base,
        durationMs: 300,
        rootService: 'gateway',
        rootOperation: 'POST /checkout',
        spanCount: 3,
        errorCount: 1,
        services: ['gateway', 'order', 'payment'],
      },
    ]);
  });

  it('lists the newest traces first', async () => {
    expect((await search({})).map((t) => t.traceId)).toEqual([traceB, traceA]);
  });

  it('filters by span duration bounds', async () => {
    expect((await search({ minDurationMs: 250 })).map((t) => t.traceId)).toEqual([traceA]);
    expect((await search({ maxDurationMs: 50 })).map((t) => t.traceId)).toEqual([traceB]);
  });

  it('filters by status, operation, attribute and trace id', async () => {
    expect((await search({ status: 'error' })).map((t) => t.traceId)).toEqual([traceA]);
    expect((await search({ service: 'gateway', operation: 'GET /products' })).map((t) => t.traceId)).toEqual([traceB]);
    expect((await search({ attr: ['resilience.fallback.used=true'] })).map((t) => t.traceId)).toEqual([traceA]);
    expect((await search({ attr: ['deployment.environment=test'] })).map((t) => t.traceId)).toEqual([traceB]);
    expect(await search({ attr: ['resilience.fallback.used=false'] })).toEqual([]);
    expect((await search({ traceId: traceB.toUpperCase() })).map((t) => t.traceId)).toEqual([traceB]);
  });

  it('requires every filter to hold on the same span', async () => {
    expect(await search({ service: 'gateway', status: 'error' })).toEqual([]);
  });
});

describe('searchTraces without span filters', () => {
  // Five minutes after the shared data, so its ranges hold only these traces.
  const at = base + 5 * 60_000;
  const straddling = '1'.repeat(32);
  const oneSecond = '2'.repeat(32);
  const late = '3'.repeat(32);
  const insert = (values: object[]) =>
    faultline.store.client.insert({ table: `${faultline.store.database}.otel_traces`, format: 'JSONEachRow', clickhouse_settings: settings, values });
  const within = (from: number, to: number) => searchTraces(faultline.store, traceSearchInput.parse({ from, to }));

  beforeAll(async () => {
    await insert([
      span(straddling, '0000000000000011', '', 'gateway', 'GET /slow', 5 * 60_000 - 2000, 4500),
      span(straddling, '0000000000000012', '0000000000000011', 'order', 'list', 5 * 60_000, 10),
      span(straddling, '0000000000000013', '0000000000000011', 'order', 'list', 5 * 60_000 + 2000, 10),
      span(oneSecond, '0000000000000021', '', 'gateway', 'GET /quick', 5 * 60_000 + 100, 900),
      span(oneSecond, '0000000000000022', '0000000000000021', 'user', 'get', 5 * 60_000 + 500, 10),
      span(oneSecond, '0000000000000023', '0000000000000021', 'user', 'get', 5 * 60_000 + 900, 10),
      span(late, '0000000000000031', '', 'gateway', 'POST /job', 4 * 60_000, 62_000),
    ]);
    await insert([span(late, '0000000000000032', '0000000000000031', 'worker', 'run', 5 * 60_000 + 1500, 10)]);
  });

  it('lists a trace by a span in the range whether its other spans start before, after or in the same second', async () => {
    expect((await within(at - 500, at + 500)).map((t) => t.traceId)).toEqual([oneSecond, straddling]);
  });

  it('lists a trace by a span stored after the others', async () => {
    expect((await within(at + 1000, at + 2000)).map((t) => t.traceId)).toEqual([late]);
  });

  it('finds the spans inside a range shorter than a second', async () => {
    expect((await within(at + 400, at + 600)).map((t) => t.traceId)).toEqual([oneSecond]);
  });

  it('lists the same traces as a search that reads the spans', async () => {
    const range = { from: at - 90_000, to: at + 3000 };
    const throughSpans = await searchTraces(faultline.store, traceSearchInput.parse({ ...range, minDurationMs: 0 }));
    expect(await within(range.from, range.to)).toEqual(throughSpans);
    expect(throughSpans.map((t) => t.traceId)).toEqual([oneSecond, straddling, late]);
  });
});

/** What a trace and a span read without faultline_trace_spans, to compare with the reads through it. */
const withoutTraceSpans: { trace?: Trace; span?: Span } = {};

describe('trace by id without faultline_trace_spans, as on a cluster', () => {
  // Before any read through the table: a store that has it is remembered as having it.
  beforeAll(async () => {
    const { client, database } = faultline.store;
    await client.command({ query: `DROP VIEW "${database}".faultline_trace_spans_mv` });
    await client.command({ query: `DROP TABLE "${database}".faultline_trace_spans` });
  });
  afterAll(async () => {
    const { client, database } = faultline.store;
    expect(await migrateQueryViews(client, { database, retentionDays: 7 })).toEqual(['faultline_trace_spans', 'faultline_trace_spans_mv']);
  });

  it('reads the spans of otel_traces inside the lookup-table bounds', async () => {
    withoutTraceSpans.trace = await getTrace(faultline.store, traceA);
    withoutTraceSpans.span = await getSpan(faultline.store, traceA, '0000000000000002');
    expect(withoutTraceSpans.trace.spans.map((s) => s.spanId)).toEqual(['0000000000000001', '0000000000000002', '0000000000000003']);
    expect(withoutTraceSpans.span.attributes).toEqual({
      'resilience.circuit_breaker.name': 'order->payment',
      'resilience.fallback.used': 'true',
      'http.request.resend_count': '1',
      'http.method': 'POST',
    });
  });

  it('finds a trace whose lookup-table row is not written yet', async () => {
    const { client, database } = faultline.store;
    const fresh = 'd'.repeat(32);
    await client.command({ query: `DETACH TABLE "${database}".otel_traces_trace_id_ts_mv` });
    try {
      await client.insert({
        table: `${database}.otel_traces`,
        format: 'JSONEachRow',
        clickhouse_settings: settings,
        values: [span(fresh, '00000000000000d1', '', 'gateway', 'GET /fresh', 0, 5)],
      });
    } finally {
      await client.command({ query: `ATTACH TABLE "${database}".otel_traces_trace_id_ts_mv` });
    }
    const trace = await getTrace(faultline.store, fresh);
    expect(trace.spans.map((s) => s.name)).toEqual(['GET /fresh']);
    expect((await getSpan(faultline.store, fresh, '00000000000000d1')).name).toBe('GET /fresh');
  });

  it('finds the late spans of a fresh trace whose lookup row does not cover them yet', async () => {
    const { client, database } = faultline.store;
    const growing = 'e'.repeat(32);
    const first = { ...span(growing, '00000000000000e1', '', 'gateway', 'POST /checkout', 0, 5), Timestamp: new Date(Date.now() - 10_000).toISOString() };
    await client.insert({ table: `${database}.otel_traces`, format: 'JSONEachRow', clickhouse_settings: settings, values: [first] });
    await client.command({ query: `DETACH TABLE "${database}".otel_traces_trace_id_ts_mv` });
    try {
      const late = { ...span(growing, '00000000000000e2', '00000000000000e1', 'notification', 'send email', 0, 5), Timestamp: new Date().toISOString() };
      await client.insert({ table: `${database}.otel_traces`, format: 'JSONEachRow', clickhouse_settings: settings, values: [late] });
    } finally {
      await client.command({ query: `ATTACH TABLE "${database}".otel_traces_trace_id_ts_mv` });
    }
    const trace = await getTrace(faultline.store, growing);
    expect(trace.spans.map((s) => s.name)).toEqual(['POST /checkout', 'send email']);
  });
});

describe('getTrace', () => {
  it('returns the outline of every span in start order, with only its resilience attributes', async () => {
    const trace = await getTrace(faultline.store, traceA);
    expect(trace).toEqual({ traceId: traceA, truncated: false, spans: withoutTraceSpans.trace?.spans });
    expect(trace.spans[1]).toEqual({
      spanId: '0000000000000002',
      parentSpanId: '0000000000000001',
      name: 'create order',
      kind: 'Client',
      service: 'order',
      startMs: base + 10,
      durationMs: 250,
      statusCode: 'Unset',
      statusMessage: '',
      resilience: { 'resilience.circuit_breaker.name': 'order->payment', 'resilience.fallback.used': 'true', 'http.request.resend_count': '1' },
    });
    expect(trace.spans[2]).toMatchObject({ statusCode: 'Error', statusMessage: 'declined' });
  });

  it('shows a span stored after the trace was first read, and opens it', async () => {
    expect((await getTrace(faultline.store, traceB)).spans.map((s) => s.name)).toEqual(['GET /products']);
    await faultline.store.client.insert({
      table: `${faultline.store.database}.otel_traces`,
      format: 'JSONEachRow',
      clickhouse_settings: settings,
      values: [span(traceB, '000000000000000a', '0000000000000009', 'inventory', 'list products', 30_005, 20, { SpanAttributes: { 'db.system': 'sqlite' } })],
    });
    expect((await getTrace(faultline.store, traceB)).spans.map((s) => s.name)).toEqual(['GET /products', 'list products']);
    expect((await getSpan(faultline.store, traceB, '000000000000000a')).attributes).toEqual({ 'db.system': 'sqlite' });
  });

  it('refuses an unknown trace id with a not-found error', async () => {
    await expect(getTrace(faultline.store, 'c'.repeat(32))).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('getSpan', () => {
  it('returns one span with its attributes, events and links', async () => {
    const order = await getSpan(faultline.store, traceA, '0000000000000002');
    expect(order).toEqual(withoutTraceSpans.span);
    expect(order).toMatchObject({
      service: 'order',
      parentSpanId: '0000000000000001',
      startMs: base + 10,
      durationMs: 250,
      attributes: { 'resilience.fallback.used': 'true' },
      events: [{ timeMs: base + 20, name: 'retry', attributes: { attempt: '1' } }],
      links: [{ traceId: traceB, spanId: '0000000000000009', attributes: {} }],
    });
  });

  it('returns the resource of the span', async () => {
    const root = await getSpan(faultline.store, traceB, '0000000000000009');
    expect(root).toMatchObject({ name: 'GET /products', resource: { 'deployment.environment': 'test' }, events: [], links: [] });
  });

  it('refuses a span id that is not in the trace with a not-found error', async () => {
    await expect(getSpan(faultline.store, traceB, '0000000000000002')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('listTraceLogs', () => {
  it('returns only the trace’s logs in time order', async () => {
    const logs = await listTraceLogs(faultline.store, traceA);
    expect(logs.map((l) => [l.timeMs - base, l.service, l.severityText, l.body, l.spanId])).toEqual([
      [5, 'gateway', 'INFO', 'checkout started', '0000000000000001'],
      [25, 'payment', 'ERROR', 'card declined', '0000000000000003'],
    ]);
  });
});

describe('traceSearchInput', () => {
  it('refuses a minimum above the maximum, naming the field', () => {
    const parsed = traceSearchInput.safeParse({ ...range, minDurationMs: '10', maxDurationMs: '5' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['maxDurationMs']);
  });
});

describe('searchTraces with the faultline_trace_summaries view', () => {
  it('answers the same from a view back-filled from stored spans as from one filled insert by insert', async () => {
    const fromInserts = await search({});
    const { client, database } = faultline.store;
    await client.command({ query: `DROP VIEW "${database}".faultline_trace_summaries_mv` });
    await client.command({ query: `DROP TABLE "${database}".faultline_trace_summaries` });
    const created = await migrateQueryViews(client, { database, retentionDays: 7 });
    expect(created).toEqual(['faultline_trace_summaries', 'faultline_trace_summaries_mv']);
    expect(await search({})).toEqual(fromInserts);
  });

  it('folds late spans into their trace through the view', async () => {
    await faultline.store.client.insert({
      table: `${faultline.store.database}.otel_traces`,
      format: 'JSONEachRow',
      clickhouse_settings: settings,
      values: [span(traceA, '0000000000000004', '0000000000000003', 'ledger', 'record', 400, 100, { StatusCode: 'Error' })],
    });
    const [late] = await search({ service: 'ledger' });
    expect(late).toEqual({
      traceId: traceA,
      startMs: base,
      durationMs: 500,
      rootService: 'gateway',
      rootOperation: 'POST /checkout',
      spanCount: 4,
      errorCount: 2,
      services: ['gateway', 'ledger', 'order', 'payment'],
    });
  });

  it('names the root span of a trace even when it is stored after its children', async () => {
    const { client, database } = faultline.store;
    const skewed = 'f'.repeat(32);
    const insert = (values: object[]) =>
      client.insert({ table: `${database}.otel_traces`, format: 'JSONEachRow', clickhouse_settings: settings, values });
    await insert([span(skewed, '00000000000000f2', '00000000000000f1', 'order', 'create order', 5, 10)]);
    // The root's clock runs behind: it starts after its child.
    await insert([span(skewed, '00000000000000f1', '', 'gateway', 'POST /checkout', 8, 20)]);
    const [summary] = await search({ traceId: skewed });
    expect(summary).toMatchObject({ rootService: 'gateway', rootOperation: 'POST /checkout', spanCount: 2, startMs: base + 5 });
  });

  it('is created once', async () => {
    expect(await migrateQueryViews(faultline.store.client, { database: faultline.store.database, retentionDays: 7 })).toEqual([]);
  });
});

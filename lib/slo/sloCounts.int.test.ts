import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFaultline, type TestFaultline } from '@/tests/support/faultline';
import { getCountsSeries, getWindowCounts, listFailingTraces, type SloTarget } from './sloCounts';

let faultline: TestFaultline;
const minute = 60_000;
// Evaluated at 30 s into a minute, so the current minute is partial.
const now = Math.floor(Date.now() / minute) * minute - 5 * minute + 30_000;
const at = (ms: number) => new Date(ms).toISOString();
let counter = 0;

type Spec = { minutesAgo: number; ms: number; error?: boolean; kind?: string; name?: string; service?: string };
const span = ({ minutesAgo, ms, error = false, kind = 'Server', name = 'GET /orders', service = 'order' }: Spec) => {
  const id = (++counter).toString(16).padStart(16, '0');
  return {
    Timestamp: at(now - minutesAgo * minute),
    TraceId: id.padStart(32, '0'),
    SpanId: id,
    SpanName: name,
    SpanKind: kind,
    ServiceName: service,
    Duration: ms * 1_000_000,
    StatusCode: error ? 'Error' : 'Unset',
  };
};
const repeat = (n: number, spec: Spec) => Array.from({ length: n }, () => span(spec));

async function insert(values: object[]) {
  await faultline.store.client.insert({
    table: `${faultline.store.database}.otel_traces`,
    values,
    format: 'JSONEachRow',
    clickhouse_settings: { date_time_input_format: 'best_effort' },
  });
}

beforeAll(async () => {
  faultline = await startTestFaultline();
  await insert([
    // The current minute: 10 requests, 2 errors, 3 slower than 100 ms.
    ...repeat(5, { minutesAgo: 0, ms: 40 }),
    ...repeat(2, { minutesAgo: 0, ms: 40, error: true }),
    ...repeat(3, { minutesAgo: 0, ms: 150 }),
    // 20 minutes ago: 30 requests, 6 errors.
    ...repeat(24, { minutesAgo: 20, ms: 10 }),
    ...repeat(6, { minutesAgo: 20, ms: 10, error: true }),
    // Not requests of the service: an internal span, and another service.
    ...repeat(4, { minutesAgo: 0, ms: 5, kind: 'Internal', error: true }),
    ...repeat(4, { minutesAgo: 0, ms: 5, service: 'user', error: true }),
    // A client call with an SLO of its own.
    ...repeat(8, { minutesAgo: 1, ms: 30, kind: 'Client', name: 'provider POST /charges' }),
    ...repeat(2, { minutesAgo: 1, ms: 30, kind: 'Client', name: 'provider POST /charges', error: true }),
  ]);
  // Late spans for 20 minutes ago, in a later insert: they join their minute's counts.
  await insert(repeat(10, { minutesAgo: 20, ms: 10, error: true }));
});

afterAll(async () => {
  await faultline?.stop();
});

const availability: SloTarget = { service: 'order', objective: 'availability' };
const counts = (slo: SloTarget, windows: number[]) => getWindowCounts(faultline.store, slo, windows, now);

describe('getWindowCounts', () => {
  it('counts a service’s entry spans and errors per window, late spans included', async () => {
    expect(await counts(availability, [5 * minute, 30 * minute])).toEqual([
      { windowMs: 5 * minute, total: 10, bad: 2 },
      { windowMs: 30 * minute, total: 50, bad: 18 },
    ]);
  });

  it('counts spans slower than a latency threshold as bad', async () => {
    expect(await counts({ ...availability, objective: 'latency', thresholdMs: 100 }, [5 * minute, 30 * minute])).toEqual([
      { windowMs: 5 * minute, total: 10, bad: 3 },
      { windowMs: 30 * minute, total: 50, bad: 3 },
    ]);
    expect((await counts({ ...availability, objective: 'latency', thresholdMs: 250 }, [5 * minute]))[0]?.bad).toBe(0);
  });

  it('counts an operation’s spans of any kind', async () => {
    expect(await counts({ ...availability, operation: 'provider POST /charges' }, [5 * minute])).toEqual([{ windowMs: 5 * minute, total: 10, bad: 2 }]);
  });
});

describe('getCountsSeries', () => {
  it('gives totals and bad counts per bucket, with empty buckets as zeros', async () => {
    const series = await getCountsSeries(faultline.store, availability, { from: now - 30 * minute, to: now + 30_000 });
    expect(series.stepSeconds).toBe(60);
    const nonEmpty = series.points.filter((point) => point.total > 0);
    expect(nonEmpty).toEqual([
      { time: Math.floor((now - 20 * minute) / minute) * minute, total: 40, bad: 16 },
      { time: Math.floor(now / minute) * minute, total: 10, bad: 2 },
    ]);
  });
});

describe('listFailingTraces', () => {
  it('lists each trace with a bad span of the SLO once, newest first, up to the limit', async () => {
    const failing = (minutesAgo: number) => span({ minutesAgo, ms: 10, error: true, service: 'shipping' });
    const [older, newest, middle, outOfRange] = [failing(3), failing(1), failing(2), failing(10)];
    // The newest trace failed twice: listed once, by its newest span.
    const newestAgain = { ...failing(4), TraceId: newest.TraceId };
    const healthy = span({ minutesAgo: 0, ms: 10, service: 'shipping' });
    await insert([older, newest, middle, outOfRange, newestAgain, healthy]);

    const shipping: SloTarget = { service: 'shipping', objective: 'availability' };
    const range = { from: now - 5 * minute, to: now + 1 };
    expect(await listFailingTraces(faultline.store, shipping, range, 5)).toEqual([newest, middle, older].map((row) => row.TraceId));
    expect(await listFailingTraces(faultline.store, shipping, range, 2)).toEqual([newest, middle].map((row) => row.TraceId));
  });
});

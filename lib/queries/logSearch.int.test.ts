import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFaultline, type TestFaultline } from '@/tests/support/faultline';
import { getLogVolume, logSearchInput, logVolumeInput, searchLogs } from './logSearch';

let faultline: TestFaultline;
const base = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
const range = { from: base - 60_000, to: base + 120_000 };
const trace = 'c'.repeat(32);

async function post(path: string, body: string, contentType: string) {
  const response = await fetch(`${faultline.otlpEndpoint}${path}`, { method: 'POST', body, headers: { 'content-type': contentType } });
  expect(response.status, await response.text()).toBe(200);
}

/** One OTLP/JSON log record of the `checkout` service. */
const otlpRecord = (offsetMs: number, severityNumber: number, severityText: string, body: string, attributes: Record<string, string> = {}) => ({
  timeUnixNano: String(BigInt(base + offsetMs) * 1_000_000n),
  severityNumber,
  severityText,
  body: { stringValue: body },
  attributes: Object.entries(attributes).map(([key, value]) => ({ key, value: { stringValue: value } })),
});

beforeAll(async () => {
  faultline = await startTestFaultline();
  await post(
    '/v1/logs',
    JSON.stringify({
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] },
          scopeLogs: [
            {
              logRecords: [
                otlpRecord(0, 9, 'INFO', 'Checkout started', { 'order.id': 'o-1' }),
                { ...otlpRecord(1_000, 17, 'ERROR', 'Payment declined by provider', { 'order.id': 'o-1' }), traceId: trace, spanId: '00000000000000aa' },
                otlpRecord(70_000, 13, 'WARN', 'Slow 100%_done check'),
              ],
            },
          ],
        },
      ],
    }),
    'application/json',
  );
  // Five JSON lines in the same millisecond, to page through a tie.
  const tied = Array.from({ length: 5 }, (_, i) => JSON.stringify({ level: 30, time: base + 2_000, service_name: 'mailer', msg: `sent mail ${i}` }));
  const error = JSON.stringify({ level: 50, time: base + 3_000, service_name: 'mailer', trace_id: trace, msg: 'smtp refused', channel: 'email' });
  await post('/v1/logs/json', [...tied, error].join('\n'), 'application/x-ndjson');
});

afterAll(async () => {
  await faultline?.stop();
});

const search = (query: Record<string, unknown>) => searchLogs(faultline.store, logSearchInput.parse({ ...range, ...query }));
const bodies = async (query: Record<string, unknown>) => (await search(query)).lines.map((line) => line.body);

describe('searchLogs', () => {
  it('lists OTLP logs and JSON lines together, newest first', async () => {
    const { lines, nextCursor } = await search({});
    expect(lines.map((line) => line.service)).toEqual(['checkout', 'mailer', 'mailer', 'mailer', 'mailer', 'mailer', 'mailer', 'checkout', 'checkout']);
    expect(lines[0]).toMatchObject({ timeMs: base + 70_000, timeNs: String(BigInt(base + 70_000) * 1_000_000n), severityText: 'WARN' });
    expect(nextCursor).toBeNull();
  });

  it('finds text in the body ignoring case, and treats % and _ as plain characters', async () => {
    expect(await bodies({ q: 'payment DECLINED' })).toEqual(['Payment declined by provider']);
    expect(await bodies({ q: '100%_done' })).toEqual(['Slow 100%_done check']);
    expect(await bodies({ q: '1000done' })).toEqual([]);
  });

  it('filters by severity levels, service, attribute and trace id', async () => {
    expect(await bodies({ severity: ['error', 'fatal'] })).toEqual(['smtp refused', 'Payment declined by provider']);
    expect(await bodies({ severity: ['warn'], service: 'checkout' })).toEqual(['Slow 100%_done check']);
    expect(await bodies({ attr: ['order.id=o-1'] })).toEqual(['Payment declined by provider', 'Checkout started']);
    expect(await bodies({ attr: ['channel=email'] })).toEqual(['smtp refused']);
    expect(await bodies({ traceId: trace.toUpperCase() })).toEqual(['smtp refused', 'Payment declined by provider']);
  });

  it('returns each line with its trace and span ids', async () => {
    const [line] = (await search({ q: 'declined' })).lines;
    expect(line).toMatchObject({ traceId: trace, spanId: '00000000000000aa', attributes: { 'order.id': 'o-1' }, resource: { 'service.name': 'checkout' } });
  });

  it('pages through every line exactly once, even lines that share a timestamp', async () => {
    const seen: string[] = [];
    let cursor: string | null | undefined;
    do {
      const page = await search({ service: 'mailer', limit: 2, cursor: cursor ?? undefined });
      seen.push(...page.lines.map((line) => line.body));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen[0]).toBe('smtp refused');
    expect([...seen].sort()).toEqual(['sent mail 0', 'sent mail 1', 'sent mail 2', 'sent mail 3', 'sent mail 4', 'smtp refused']);
  });

  it('refuses a malformed cursor, naming the field', () => {
    expect(logSearchInput.safeParse({ ...range, cursor: 'abc' }).error?.issues[0]?.path).toEqual(['cursor']);
  });
});

describe('getLogVolume', () => {
  it('counts lines per bucket and severity, with empty buckets as zeros', async () => {
    const volume = await getLogVolume(faultline.store, logVolumeInput.parse(range));
    expect(volume.stepSeconds).toBe(5);
    const nonEmpty = volume.points.filter((point) => point.info + point.warn + point.error > 0);
    expect(nonEmpty).toEqual([
      expect.objectContaining({ time: base, info: 6, error: 2, warn: 0 }),
      expect.objectContaining({ time: base + 70_000, warn: 1, info: 0 }),
    ]);
    expect(volume.points.length).toBe(36);
  });

  it('applies the same filters as the search', async () => {
    const volume = await getLogVolume(faultline.store, logVolumeInput.parse({ ...range, service: 'mailer', severity: ['error'] }));
    expect(volume.points.reduce((sum, point) => sum + point.error + point.info, 0)).toBe(1);
  });
});

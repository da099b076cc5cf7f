import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from 'chdb';
import { startTestFaultline, type TestFaultline } from '@/tests/support/faultline';
import { openSpanStaging, type StagingOptions } from './spanStaging';
import { stagedTraces } from './tables';

let faultline: TestFaultline;
let session: Session;

beforeAll(async () => {
  faultline = await startTestFaultline();
  session = new Session(faultline.store.dataDir!);
  await faultline.store.client.command({ query: 'SYSTEM STOP MERGES faultline.otel_traces' });
});
afterAll(async () => {
  session.close();
  await faultline.stop();
});

const options = (overrides: Partial<StagingOptions> = {}): StagingOptions => ({
  database: 'faultline',
  dataDir: join(faultline.store.dataDir!, 'test-moves'),
  run: (sql) => session.queryAsync(sql),
  listStaged: async () => {
    const rows = await faultline.query<{ partition: string; bytes: string }>(
      `SELECT partition, sum(bytes_on_disk) AS bytes FROM system.parts WHERE database = 'faultline' AND table = {table:String} AND active GROUP BY partition ORDER BY partition`,
      { table: stagedTraces.name },
    );
    return rows.map((row) => ({ partition: row.partition, bytes: Number(row.bytes) }));
  },
  delayMs: 600_000,
  moveBytes: 1 << 30,
  ...overrides,
});

/** Commits `spans` span rows of `service` to staging under `token`, as the writer does. */
async function stage(service: string, token: string, spans: number): Promise<number> {
  const values = Array.from({ length: spans }, (_, i) => ({
    Timestamp: new Date().toISOString(),
    TraceId: `${token}-trace`.padEnd(32, '0'),
    SpanId: `${i}`.padStart(16, '0'),
    ServiceName: service,
    SpanName: 'GET /staged',
    SpanKind: 'Server',
    Duration: 1_000_000,
    StatusCode: 'Unset',
  }));
  await faultline.store.client.insert({
    table: `faultline.${stagedTraces.name}`,
    values,
    format: 'JSONEachRow',
    clickhouse_settings: { insert_deduplication_token: token, date_time_input_format: 'best_effort' },
  });
  return JSON.stringify(values).length;
}

async function count(sql: string, service: string): Promise<number> {
  const [row] = await faultline.query<{ n: string }>(sql, { service });
  return Number(row!.n);
}

const stored = (service: string) =>
  Promise.all([
    count('SELECT count() AS n FROM faultline.otel_traces WHERE ServiceName = {service:String}', service),
    count('SELECT uniqExact(_part) AS n FROM faultline.otel_traces WHERE ServiceName = {service:String}', service),
    count('SELECT count() AS n FROM faultline.faultline_trace_spans WHERE ServiceName = {service:String}', service),
    count(`SELECT count() AS n FROM faultline.${stagedTraces.name} WHERE ServiceName = {service:String}`, service),
  ]).then(([spans, parts, derived, staged]) => ({ spans, parts, derived, staged }));

describe('staged spans', () => {
  it('keep each insert in a partition of its own, and are moved into otel_traces and its derived tables together, once a reader asks', async () => {
    const staging = openSpanStaging(options());
    let bytes = 0;
    for (let i = 0; i < 5; i++) {
      const staged = await stage('moved-together', `moved-together-${i}`, 20);
      staging.staged(`moved-together-${i}`, staged);
      bytes += staged;
    }
    expect(await count(`SELECT uniqExact(Batch) AS n FROM faultline.${stagedTraces.name} WHERE ServiceName = {service:String}`, 'moved-together')).toBe(5);
    expect(staging.backlogBytes()).toBe(bytes);

    await staging.caughtUp();
    expect(staging.backlogBytes()).toBe(0);
    expect(await stored('moved-together')).toEqual({ spans: 100, parts: 1, derived: 100, staged: 0 });
    await staging.close();
  });

  it('move a batch the writer would wait on at once, once the staged bytes pass the limit', async () => {
    const staging = openSpanStaging(options({ moveBytes: 1, limitBytes: 1 }));
    const bytes = await stage('over-limit', 'over-limit-0', 10);
    staging.staged('over-limit-0', bytes);
    await staging.room();
    expect(await stored('over-limit')).toEqual({ spans: 10, parts: 1, derived: 10, staged: 0 });
    await staging.close();
  });

  it('let a reader through at once while the mover is behind by more than a move, and make it wait for the move otherwise', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const staging = openSpanStaging(
      options({ run: async (sql) => (sql.startsWith('INSERT') ? held.then(() => session.queryAsync(sql)) : session.queryAsync(sql)), moveBytes: 1 }),
    );
    staging.staged('behind-0', await stage('behind', 'behind-0', 10));
    await staging.beforeRead();
    expect(await stored('behind')).toMatchObject({ spans: 0, staged: 10 });
    release();
    await staging.caughtUp();
    expect(await stored('behind')).toMatchObject({ spans: 10, staged: 0 });

    const keepingUp = openSpanStaging(options());
    keepingUp.staged('keeping-up-0', await stage('keeping-up', 'keeping-up-0', 10));
    await keepingUp.beforeRead();
    expect(await stored('keeping-up')).toMatchObject({ spans: 10, staged: 0 });
    await Promise.all([staging.close(), keepingUp.close()]);
  });

  it('refuse more once the limit is staged and cannot be moved, and are all moved once otel_traces takes inserts again', async () => {
    let refusing = true;
    const staging = openSpanStaging(
      options({
        run: (sql) => (refusing && sql.startsWith('INSERT') ? Promise.reject(new Error('Too many parts')) : session.queryAsync(sql)),
        limitBatches: 2,
      }),
    );
    for (let i = 0; i < 2; i++) staging.staged(`refused-${i}`, await stage('refused', `refused-${i}`, 10));
    await staging.caughtUp();
    await expect(staging.room()).rejects.toThrow('Too many parts');
    expect(await stored('refused')).toMatchObject({ spans: 0, staged: 20 });

    refusing = false;
    await staging.caughtUp();
    await staging.room();
    expect(await stored('refused')).toEqual({ spans: 20, parts: 1, derived: 20, staged: 0 });
    await staging.close();
  });

  it('run a failed move again as it was before anything staged since, so a copy that committed is not stored twice', async () => {
    let drops = 0;
    const staging = openSpanStaging(
      options({ run: (sql) => (sql.startsWith('ALTER') && drops++ === 0 ? Promise.reject(new Error('drop failed')) : session.queryAsync(sql)) }),
    );
    staging.staged('retried-0', await stage('retried', 'retried-0', 10));
    await staging.caughtUp();
    expect(await stored('retried')).toMatchObject({ spans: 10, staged: 10 });
    staging.staged('retried-1', await stage('retried', 'retried-1', 5));
    await staging.caughtUp();
    expect(await stored('retried')).toEqual({ spans: 15, parts: 2, derived: 15, staged: 0 });
    await staging.close();
  });

  it('finish a move cut off inside its copy at the next open: only the tables that missed it take it, and each span is stored once', async () => {
    const failures: Error[] = [];
    const killedBeforeDrop = openSpanStaging(
      options({ run: (sql) => (sql.startsWith('ALTER') ? Promise.reject(new Error('killed')) : session.queryAsync(sql)), onError: (error) => failures.push(error) }),
    );
    for (let i = 0; i < 3; i++) killedBeforeDrop.staged(`cut-off-${i}`, await stage('cut-off', `cut-off-${i}`, 30));
    // Killed after otel_traces and most views committed, before faultline_trace_spans did.
    await faultline.store.client.command({ query: 'DETACH TABLE faultline.faultline_trace_spans_mv' });
    await killedBeforeDrop.caughtUp();
    await killedBeforeDrop.close();
    await faultline.store.client.command({ query: 'ATTACH TABLE faultline.faultline_trace_spans_mv' });
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((error) => error.message === 'killed')).toBe(true);
    expect(await stored('cut-off')).toEqual({ spans: 90, parts: 1, derived: 0, staged: 90 });
    expect(readdirSync(join(options().dataDir, 'moves')).filter((name) => name.endsWith('.json'))).toHaveLength(1);

    // A later batch staged before the kill is moved too, after the listed move ran again.
    await stage('cut-off', 'cut-off-3', 5);
    const reopened = openSpanStaging(options());
    expect(await reopened.recover()).toBe(2);
    expect(await stored('cut-off')).toEqual({ spans: 95, parts: 2, derived: 95, staged: 0 });
    expect(readdirSync(join(options().dataDir, 'moves'))).toEqual([]);
    await reopened.close();
  });

  it('are where the collector puts the span rows it acknowledges: in otel_traces and its derived tables for the next query', async () => {
    const dataDir = faultline.store.dataDir!;
    expect(existsSync(join(dataDir, 'moves'))).toBe(true);
    const response = await fetch(`${faultline.otlpEndpoint}/v1/traces`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'acknowledged' } }] },
            scopeSpans: [{ spans: [{ traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name: 'GET /', startTimeUnixNano: String(Date.now() * 1e6), endTimeUnixNano: String(Date.now() * 1e6 + 5e6) }] }],
          },
        ],
      }),
    });
    expect(response.status).toBe(200);
    expect(await stored('acknowledged')).toEqual({ spans: 1, parts: 1, derived: 1, staged: 0 });
  });
});

import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { decodeTracesJson } from '../otlp/decode/decodeTracesJson';
import { encodeSpanRows } from '../otlp/rows/encodeSpanRows';
import { listServices } from '../queries/services';
import { makeSpans, tracesJson } from '../../tests/support/otlpBodies';
import { openStore } from './store';
import { writtenTables } from './tables';

// A quote in the path: the insert's file is named in SQL.
const dataDir = mkdtempSync(join(tmpdir(), "faultline-writer-it's-"));

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the embedded store’s writer', () => {
  it('keeps an insert in the data directory until it has ended; one a killed process left is finished at the next open, only in the tables that missed it', async () => {
    const spans = makeSpans({ service: 'half-committed', spans: 12 });
    const { rows } = decodeTracesJson(tracesJson(spans));
    const journal = join(dataDir, 'inserts');
    let store = await openStore(loadConfig({ FAULTLINE_DATA_DIR: dataDir }));
    try {
      await store.writer.insertRowBinary('otel_logs', ['Body'], [Buffer.from([5, ...Buffer.from('hello')])]);
      const [row] = await (await store.client.query({ query: 'SELECT Body FROM faultline.otel_logs', format: 'JSONEachRow' })).json<{ Body: string }>();
      expect(row?.Body).toBe('hello');
      expect(readdirSync(journal)).toEqual([]);

      // A process killed in the middle of an insert: otel_traces and most views committed, faultline_trace_spans not.
      const file = join(journal, 'otel_traces.half-1.bin');
      writeFileSync(file, encodeSpanRows(rows).finish());
      await store.client.command({ query: 'DETACH TABLE faultline.faultline_trace_spans_mv' });
      await store.client.command({
        query: `INSERT INTO faultline.otel_traces (${writtenTables.traces.columnNames.map((name) => `"${name}"`).join(', ')}) FROM INFILE '${file.replace(/'/g, "\\'")}'
                SETTINGS insert_deduplicate = 1, insert_deduplication_token = 'half-1', deduplicate_blocks_in_dependent_materialized_views = 1 FORMAT RowBinary`,
      });
      await store.client.command({ query: 'ATTACH TABLE faultline.faultline_trace_spans_mv' });
      // And the services rollup is rebuilt at the next open (as by a new definition): from otel_traces, before the insert runs again.
      await store.client.command({ query: "ALTER TABLE faultline.faultline_service_rollup MODIFY COMMENT 'an older definition'" });
    } finally {
      await store.close();
    }

    store = await openStore(loadConfig({ FAULTLINE_DATA_DIR: dataDir }));
    try {
      expect(readdirSync(journal)).toEqual([]);
      const count = async (table: string) => {
        const result = await store.client.query({ query: `SELECT count() AS n FROM faultline.${table} WHERE ServiceName = 'half-committed'`, format: 'JSONEachRow' });
        return Number((await result.json<{ n: string }>())[0]?.n);
      };
      const now = Date.now();
      const [overview] = await listServices(store, { from: now - 3_600_000, to: now + 60_000 });
      expect({ traces: await count('otel_traces'), traceView: await count('faultline_trace_spans'), overview: overview?.spans }).toEqual({
        traces: spans.length,
        traceView: spans.length,
        overview: spans.length,
      });
    } finally {
      await store.close();
    }
  });

  it('inserts on a session of its own: a query on the store’s client doesn’t wait for an insert running', async () => {
    const store = await openStore(loadConfig({ FAULTLINE_DATA_DIR: dataDir }));
    try {
      // Each inserted block sleeps a second filling its default column.
      await store.client.command({ query: 'CREATE TABLE faultline.slow_inserts (id UInt8, pause UInt8 DEFAULT sleep(1)) ENGINE = Memory' });
      const finished: string[] = [];
      const insert = store.writer.insertRowBinary('slow_inserts', ['id'], [Buffer.from([1])]).then(() => finished.push('insert'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const query = store.client.query({ query: 'SELECT count() AS n FROM faultline.slow_inserts', format: 'JSONEachRow' });
      const [before] = await (await query).json<{ n: number }>();
      finished.push('query');
      await insert;
      expect(finished).toEqual(['query', 'insert']);
      expect(Number(before?.n)).toBe(0);
      const [after] = await (await store.client.query({ query: 'SELECT count() AS n FROM faultline.slow_inserts', format: 'JSONEachRow' })).json<{ n: number }>();
      expect(Number(after?.n)).toBe(1);
    } finally {
      await store.close();
    }
  });
});

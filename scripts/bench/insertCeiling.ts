/**
 * The raw insert ceiling: the rows of the given OTLP requests, pre-encoded as RowBinary (not timed),
 * inserted straight through the store's writer in batches of the collector's size, into an emptied
 * `otel_traces`, until queries see them (on the embedded store, until they are moved out of staging:
 * lib/clickhouse/spanStaging.ts). No HTTP, no decoding, no batching policy: what the store itself
 * commits per second.
 */
import type { Store } from '../../lib/clickhouse/store';
import { writtenTables } from '../../lib/clickhouse/tables';
import { loadConfig } from '../../lib/config';
import { decodeTracesProtoToRowBinary } from '../../lib/otlp/decode/decodeTracesProtoToRowBinary';
import { timeWindow } from '../../lib/otlp/decode/timeWindow';
import { RowBinaryWriter } from '../../lib/otlp/rows/rowBinaryWriter';
import { countSpans } from './collectorProcess';

export type InsertCeiling = { rowsPerSecond: number; rows: number; batchRows: number };

export async function measureInsertCeiling(store: Store, bodies: Buffer[]): Promise<InsertCeiling> {
  const batchRows = loadConfig({}).batch.maxRows;
  await emptyTraces(store);
  const seconds = await timeInserts(store, encodeInBatches(bodies, batchRows));
  const rows = await countSpans(store.client);
  return { rowsPerSecond: rows / seconds, rows, batchRows };
}

/** The median time, in ms, of `times` single inserts of every row of `bodies` until queries see them: the fastest the store stores them. */
export async function timeOneInsert(store: Store, bodies: Buffer[], times = 3): Promise<number> {
  const [batch] = encodeInBatches(bodies, Number.POSITIVE_INFINITY);
  const timings: number[] = [];
  for (let i = 0; i < times; i++) timings.push((await timeInserts(store, [batch!])) * 1000);
  return timings.sort((a, b) => a - b)[Math.floor(times / 2)]!;
}

async function emptyTraces(store: Store): Promise<void> {
  await store.client.command({ query: 'TRUNCATE TABLE faultline.otel_traces' });
  await store.client.command({ query: 'TRUNCATE TABLE faultline.otel_traces_trace_id_ts' });
}

async function timeInserts(store: Store, batches: Buffer[]): Promise<number> {
  const started = performance.now();
  for (const batch of batches) await store.writer.insertRowBinary(writtenTables.traces.name, writtenTables.traces.columnNames, [batch]);
  await store.caughtUp();
  return (performance.now() - started) / 1000;
}

function encodeInBatches(requestBodies: Buffer[], batchRows: number): Buffer[] {
  const batches: Buffer[] = [];
  let writer = new RowBinaryWriter(64 * 1024 * 1024);
  let rows = 0;
  const window = timeWindow(Date.now(), 0);
  for (const body of requestBodies) {
    rows += decodeTracesProtoToRowBinary(body, writer, window).count;
    if (rows >= batchRows) {
      batches.push(Buffer.from(writer.finish()));
      writer = new RowBinaryWriter(64 * 1024 * 1024);
      rows = 0;
    }
  }
  if (rows > 0) batches.push(Buffer.from(writer.finish()));
  return batches;
}

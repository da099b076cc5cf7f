/**
 * After an unclean stop, drops the spans a sender sends again that are already stored. A process
 * killed after an insert committed but before its requests were answered leaves senders that retry
 * the same request (the same trace and span ids) to the restarted collector, within their retry
 * window; stored again, each such span would count twice in every count and rollup. For
 * `windowMs` after the start, and only for spans that started before it (plus `clockSkewMs` for a
 * sender's clock ahead of ours), each request's spans are looked up in `otel_traces` by trace id and
 * start-time range before they join a batch; outside that, nothing is checked.
 */
import { join, param, sql } from '../../lib/clickhouse/sql';
import { selectRows, table, type QueryStore } from '../../lib/clickhouse/selectRows';
import { writtenTables } from '../../lib/clickhouse/tables';
import { keepRows, spanRowKeys, type SpanRowKey } from '../../lib/otlp/rows/spanRowKeys';
import type { TableChunk } from '../../lib/otlp/rows/tableChunk';

/** How far ahead of the collector's clock a retried span's start may lie and still be checked. */
export const clockSkewMs = 60_000;

const nanosPerMilli = 1_000_000n;

export class RestartDuplicates {
  private readonly until: number;
  private readonly startedBefore: bigint;

  constructor(
    private readonly store: QueryStore,
    startedAt: number,
    windowMs: number,
  ) {
    this.until = startedAt + windowMs;
    this.startedBefore = BigInt(startedAt + clockSkewMs) * nanosPerMilli;
  }

  /** Whether requests are still checked: false for good once the window has passed. */
  get active(): boolean {
    return Date.now() < this.until;
  }

  /** The chunks without the span rows already in `otel_traces`, and how many were dropped. */
  async drop(chunks: readonly TableChunk[]): Promise<{ chunks: TableChunk[]; dropped: number }> {
    let dropped = 0;
    const kept: TableChunk[] = [];
    for (const chunk of chunks) {
      if (chunk.table !== writtenTables.traces || chunk.count === 0) {
        kept.push(chunk);
        continue;
      }
      const rows = spanRowKeys(chunk);
      const stored = await this.storedAmong(rows.filter((row) => row.timestamp < this.startedBefore));
      if (stored.size === 0) {
        kept.push(chunk);
        continue;
      }
      const fresh = rows.filter((row) => !stored.has(spanKey(row)));
      dropped += rows.length - fresh.length;
      if (fresh.length > 0) kept.push(keepRows(chunk, fresh));
    }
    return { chunks: kept, dropped };
  }

  private async storedAmong(rows: readonly SpanRowKey[]): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    let first = rows[0]!.timestamp;
    let last = first;
    for (const { timestamp } of rows) {
      if (timestamp < first) first = timestamp;
      if (timestamp > last) last = timestamp;
    }
    const traceIds = [...new Set(rows.map((row) => row.traceId))];
    const spanIds = [...new Set(rows.map((row) => row.spanId))];
    const found = await selectRows<{ traceId: string; spanId: string }>(
      this.store,
      sql`SELECT DISTINCT TraceId AS traceId, SpanId AS spanId FROM ${table(this.store, writtenTables.traces.name)} WHERE ${join(
        [
          sql`Timestamp >= fromUnixTimestamp64Nano(${param(first.toString(), 'Int64')})`,
          sql`Timestamp <= fromUnixTimestamp64Nano(${param(last.toString(), 'Int64')})`,
          sql`TraceId IN ${traceIds}`,
          sql`SpanId IN ${spanIds}`,
        ],
        ' AND ',
      )}`,
    );
    return new Set(found.map(spanKey));
  }
}

function spanKey(row: { traceId: string; spanId: string }): string {
  return `${row.traceId}/${row.spanId}`;
}

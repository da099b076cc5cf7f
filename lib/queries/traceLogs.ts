/**
 * The logs of one trace, for the trace view. Logs are ordered by five-minute buckets first, so the
 * trace's time bounds (widened: a log may be written before the first span starts or after the last
 * one ends) keep the read to a few granules.
 */
import { sql } from '@/lib/clickhouse/sql';
import { epochMs, selectRows, table, type QueryStore } from '../clickhouse/selectRows';
import { traceBounds } from './traceSearch';
import type { LogRecord } from '@/lib/contract/traces';

/** At most this many log lines come back for one trace, the earliest first. */
export const maxTraceLogs = 2_000;

const leadSeconds = 60;
const trailSeconds = 600;

export async function listTraceLogs(store: QueryStore, traceId: string): Promise<LogRecord[]> {
  return selectRows<LogRecord>(
    store,
    sql`
      WITH ${traceBounds(store, traceId)} AS bounds
      SELECT ${epochMs('Timestamp')} AS timeMs, ServiceName AS service,
        SeverityText AS severityText, SeverityNumber AS severityNumber, Body AS body, SpanId AS spanId,
        EventName AS eventName, LogAttributes AS attributes
      FROM ${table(store, 'otel_logs')}
      WHERE TraceId = ${traceId}
        AND Timestamp >= bounds.1 - ${leadSeconds} AND Timestamp < bounds.2 + ${trailSeconds}
      ORDER BY Timestamp
      LIMIT ${maxTraceLogs}`,
  );
}

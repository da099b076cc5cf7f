/**
 * What each breaker is configured to do, read from its guarded-call spans
 * (`resilience.circuit_breaker.failure_threshold`, `resilience.circuit_breaker.half_open_after_ms`;
 * docs/resilience-telemetry.md): the values of the latest span in the last `settingsWindowMs` of the range,
 * so a breaker reconfigured mid-range shows what it does now, and a long range reads no more spans.
 */
import { sql } from '@/lib/clickhouse/sql';
import { selectRows, table, type QueryStore } from '../clickhouse/selectRows';
import { breakerKey } from './breakerTimelines';
import type { TimeRange } from '../input';
import type { BreakerSettings } from '../contract/breakers';

export const settingsWindowMs = 15 * 60_000;

type SettingsRow = { service: string; name: string; failureThreshold: number | null; halfOpenAfterMs: number | null };

export async function readBreakerSettings(store: QueryStore, range: TimeRange): Promise<Map<string, BreakerSettings>> {
  const from = Math.max(range.from, range.to - settingsWindowMs);
  const setting = (key: string) => sql`argMaxIf(toInt64OrNull(SpanAttributes[${key}]), Timestamp, mapContains(SpanAttributes, ${key}))`;
  const rows = await selectRows<SettingsRow>(
    store,
    sql`
      SELECT ServiceName AS service, SpanAttributes['resilience.circuit_breaker.name'] AS name,
        ${setting('resilience.circuit_breaker.failure_threshold')} AS failureThreshold,
        ${setting('resilience.circuit_breaker.half_open_after_ms')} AS halfOpenAfterMs
      FROM ${table(store, 'otel_traces')}
      WHERE Timestamp >= fromUnixTimestamp64Milli(${from}) AND Timestamp < fromUnixTimestamp64Milli(${range.to})
        AND mapContains(SpanAttributes, 'resilience.circuit_breaker.name')
        AND (mapContains(SpanAttributes, 'resilience.circuit_breaker.failure_threshold')
          OR mapContains(SpanAttributes, 'resilience.circuit_breaker.half_open_after_ms'))
      GROUP BY service, name`,
  );
  return new Map(rows.map(({ service, name, ...settings }) => [breakerKey(service, name), settings]));
}

/**
 * SLO alert history in `faultline_slo_alerts`: one row per state change. The evaluator appends a row
 * on every change and reads the latest row per SLO when it starts, so a restart neither repeats nor
 * forgets a notification.
 */
import { sql } from '@/lib/clickhouse/sql';
import { epochMs, selectRows, table, type QueryStore } from '@/lib/clickhouse/selectRows';
import { writtenTables } from '@/lib/clickhouse/tables';
import type { AlertChange } from '@/lib/contract/slo';

export async function recordAlertChange(store: QueryStore, change: AlertChange): Promise<void> {
  await store.client.insert({
    table: `${store.database}.${writtenTables.sloAlerts.name}`,
    format: 'JSONEachRow',
    // ISO 8601 with its Z, so the server's time zone can't shift it.
    clickhouse_settings: { date_time_input_format: 'best_effort' },
    values: [
      {
        Time: new Date(change.timeMs).toISOString(),
        SloId: change.sloId,
        State: change.state,
        Severity: change.severity,
        Rule: change.rule,
        LongBurnRate: change.longBurnRate,
        ShortBurnRate: change.shortBurnRate,
        ExampleTraceIds: change.exampleTraceIds,
        Message: change.message,
      },
    ],
  });
}

const columns = sql`${epochMs('Time')} AS timeMs, SloId AS sloId, State AS state, Severity AS severity, Rule AS rule,
  LongBurnRate AS longBurnRate, ShortBurnRate AS shortBurnRate, ExampleTraceIds AS exampleTraceIds, Message AS message`;

/** The latest change of every SLO that has one. */
export async function listCurrentAlerts(store: QueryStore): Promise<AlertChange[]> {
  return selectRows<AlertChange>(
    store,
    sql`SELECT ${columns} FROM ${table(store, 'faultline_slo_alerts')} ORDER BY Time DESC LIMIT 1 BY SloId`,
  );
}

/** One SLO's changes, newest first. */
export async function listAlertHistory(store: QueryStore, sloId: string, limit = 100): Promise<AlertChange[]> {
  return selectRows<AlertChange>(
    store,
    sql`SELECT ${columns} FROM ${table(store, 'faultline_slo_alerts')} WHERE SloId = ${sloId} ORDER BY Time DESC LIMIT ${limit}`,
  );
}

/**
 * The ClickHouse exporter: writes one batch of a table's rows through the store's `RowWriter`. A failed
 * insert becomes a `StoreWriteError`, which the receivers answer as retryable (503).
 */
import type { TableLayout } from '../../lib/clickhouse/tables';
import type { RowWriter } from '../../lib/clickhouse/writer';
import { StoreWriteError } from '../errors';
import type { ReceiverMetrics } from '../receiverMetrics';

/** Resolves once ClickHouse has committed the rows. */
export type Exporter = (table: TableLayout, rows: readonly Uint8Array[]) => Promise<void>;

export function clickHouseExporter(writer: RowWriter, metrics: ReceiverMetrics): Exporter {
  return async (table, rows) => {
    try {
      await writer.insertRowBinary(table.name, table.columnNames, rows);
    } catch (error) {
      const failure = new StoreWriteError(error instanceof Error ? error.message : String(error), { cause: error });
      metrics.countInsert(table.name, failure);
      throw failure;
    }
    metrics.countInsert(table.name);
  };
}

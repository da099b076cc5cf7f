/** One table's encoded rows from one request: what a receiver hands the batch processor. */
import type { TableLayout } from '../../clickhouse/tables';

export type TableChunk = { table: TableLayout; rows: Buffer; count: number };

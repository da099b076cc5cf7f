/**
 * The collector's one route into the store: pre-encoded RowBinary rows, by each store's fastest
 * path. chDB reads them from a file (`INSERT … FROM INFILE`: `chdb/connection` passes request
 * bodies as text, so binary can't travel through it); a server takes them as an HTTP body.
 * A call resolves only once ClickHouse has committed the rows.
 */
import { Readable } from 'node:stream';
import type { ClickHouseClient } from '@clickhouse/client';
import { quoteIdent } from './renderDdl';
import { openSpool } from './spool';

/** Column names may be Nested sub-columns (`Events.Name`): quoted whole, checked by shape. */
function quoteColumn(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(name)) throw new Error(`not a column name: ${name}`);
  return `"${name}"`;
}

export interface RowWriter {
  /** `rows`: RowBinary in chunks of whole rows, inserted as one (RowBinary rows simply concatenate). */
  insertRowBinary(table: string, columns: readonly string[], rows: readonly Uint8Array[]): Promise<void>;
}

type ChdbQueryAsync = (sql: string) => Promise<unknown>;

/**
 * The collector waits on each insert, and otel_traces feeds several materialized views that
 * otherwise run one after another on one thread: in parallel they use the other core (measured
 * on the 2-core bench: ≈ +18% spans/s end to end, CPU per span no higher).
 */
const insertSettings = 'async_insert = 0, parallel_view_processing = 1';

function insertStatement(database: string, table: string, columns: readonly string[]): string {
  return `INSERT INTO ${quoteIdent(database)}.${quoteIdent(table)} (${columns.map(quoteColumn).join(', ')})`;
}

/** Each process spools in its own directory, removed when its store closes. */
export function createChdbWriter(database: string, queryAsync: ChdbQueryAsync): RowWriter & { close(): void } {
  const spool = openSpool('faultline-spool-');
  return {
    close: () => spool.close(),
    insertRowBinary: (table, columns, rows) =>
      // We batch ourselves and acknowledge after the commit: no server-side async insert.
      spool.withFile(table, rows, async (file) => {
        await queryAsync(`${insertStatement(database, table, columns)} FROM INFILE '${file}' SETTINGS ${insertSettings} FORMAT RowBinary`);
      }),
  };
}

export function createHttpWriter(database: string, client: ClickHouseClient): RowWriter {
  return {
    async insertRowBinary(table, columns, rows) {
      const result = await client.exec({
        query: `${insertStatement(database, table, columns)} SETTINGS ${insertSettings} FORMAT RowBinary`,
        values: Readable.from(rows),
      });
      result.stream.resume();
      await new Promise<void>((resolve, reject) => {
        result.stream.on('end', resolve).on('error', reject);
      });
    },
  };
}

/**
 * The collector's one route into the store: pre-encoded RowBinary rows, by each store's fastest
 * path. chDB reads them from a file (`INSERT … FROM INFILE`: `chdb/connection` passes request
 * bodies as text, so binary can't travel through it); a server takes them as an HTTP body.
 * A call resolves only once ClickHouse has committed the rows. On chDB the file stays in the data
 * directory until the insert has ended, so a crash in the middle can be finished at the next open.
 */
import { Readable } from 'node:stream';
import type { ClickHouseClient } from '@clickhouse/client';
import { quoteIdent } from './renderDdl';
import type { InsertFile, InsertJournal } from './insertJournal';
import type { SpanStaging } from './spanStaging';
import { stagedTraces, writtenTables } from './tables';

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

/**
 * Each insert runs with its journal file's token, and its materialized views check it too: an insert
 * run again after a crash (`finishUnfinished`) is written only to the tables that missed it.
 */
function chdbInsert(database: string, table: string, columns: readonly string[], file: InsertFile): string {
  const settings = `${insertSettings}, insert_deduplication_token = '${file.token}', deduplicate_blocks_in_dependent_materialized_views = 1`;
  return `${insertStatement(database, table, columns)} FROM INFILE ${quotePath(file.path)} SETTINGS ${settings} FORMAT RowBinary`;
}

/** A file path as a string literal: it lies under the data directory, which the operator names. */
function quotePath(path: string): string {
  return `'${path.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export type ChdbWriter = RowWriter & {
  /** Runs again the inserts a killed process left (lib/clickhouse/insertJournal.ts); returns what it finished and what it gave up. */
  finishUnfinished(): Promise<{ finished: number; failed: string[] }>;
};

/** Span rows are committed to staging and moved into otel_traces from there; other tables are written directly. */
export function createChdbWriter(database: string, queryAsync: ChdbQueryAsync, journal: InsertJournal, staging: SpanStaging): ChdbWriter {
  return {
    // We batch ourselves and acknowledge after the commit: no server-side async insert.
    async insertRowBinary(table, columns, rows) {
      const spans = table === writtenTables.traces.name;
      const target = spans ? stagedTraces.name : table;
      if (spans) await staging.room();
      await journal.withFile(target, rows, async (file) => {
        await queryAsync(chdbInsert(database, target, columns, file));
        if (spans) staging.staged(file.token, rows.reduce((sum, chunk) => sum + chunk.byteLength, 0));
      });
    },
    async finishUnfinished() {
      let finished = 0;
      const failed: string[] = [];
      for (const file of journal.unfinished()) {
        const layout = [...Object.values(writtenTables), stagedTraces].find((table) => table.name === file.table);
        try {
          if (!layout) throw new Error('not a table the collector writes');
          await queryAsync(chdbInsert(database, layout.name, layout.columnNames, file));
          finished++;
        } catch (error) {
          failed.push(`${file.table} (${file.token}): ${(error as Error).message}`);
        } finally {
          journal.remove(file);
        }
      }
      return { finished, failed };
    },
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

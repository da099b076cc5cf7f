/**
 * The embedded store's inserts, each kept in a file in the data directory, named after its table and
 * its deduplication token, until it has committed or failed. ClickHouse commits an insert's part in
 * each table on its own (`otel_traces`, then each of its views' tables), so a process killed in
 * between leaves some tables with the rows and some without. The file is still there: the next open
 * inserts it again with the same token, and ClickHouse's insert deduplication
 * (`non_replicated_deduplication_window`, with `deduplicate_blocks_in_dependent_materialized_views`)
 * skips it in the tables that have it and writes it to the others.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { quoteIdent } from './renderDdl';

/** An insert's rows and the token it runs with. */
export type InsertFile = { table: string; token: string; path: string };

export type InsertJournal = {
  /** Writes `data` to the insert's file, runs `use` with it, then removes it, whether the insert committed or failed. */
  withFile<T>(table: string, data: readonly Uint8Array[], use: (file: InsertFile) => Promise<T>): Promise<T>;
  /** The inserts a killed process left, whole files only (one cut off while written never reached the store). */
  unfinished(): InsertFile[];
  remove(file: InsertFile): void;
};

/** Block ids each table remembers: only the inserts running when a process died are ever sent again. */
export const deduplicationWindow = 100;

const token = '[0-9a-z-]+';
/** What an insert's token looks like: it is written into SQL, and names the insert's file. */
export const insertToken = new RegExp(`^${token}$`);
const fileName = new RegExp(`^(\\w+)\\.(${token})\\.bin$`);

export function openInsertJournal(dataDir: string): InsertJournal {
  const dir = join(dataDir, 'inserts');
  mkdirSync(dir, { recursive: true });
  // Unique across restarts on the same directory: a token used again would be skipped as a repeat.
  const prefix = `${Date.now().toString(36)}-${process.pid.toString(36)}`;
  let sequence = 0;
  return {
    async withFile(table, data, use) {
      const file = { table, token: `${prefix}-${(sequence++).toString(36)}`, path: '' };
      file.path = join(dir, `${table}.${file.token}.bin`);
      try {
        await writeFile(`${file.path}.partial`, data);
        await rename(`${file.path}.partial`, file.path);
      } catch (error) {
        // A full disk: what was written of it goes, the insert fails as the store's would.
        await rm(`${file.path}.partial`, { force: true });
        throw error;
      }
      try {
        return await use(file);
      } finally {
        await rm(file.path, { force: true });
      }
    },
    unfinished() {
      const files: InsertFile[] = [];
      for (const name of readdirSync(dir)) {
        const match = fileName.exec(name);
        if (match) files.push({ table: match[1]!, token: match[2]!, path: join(dir, name) });
        else rmSync(join(dir, name), { force: true });
      }
      return files;
    },
    remove: (file) => rmSync(file.path, { force: true }),
  };
}

/**
 * Makes every MergeTree table of the database remember the last `deduplicationWindow` inserts' block
 * ids (derived tables are rebuilt without it when their definition changes, so this runs at every
 * open). A block inserted again without a token is compared by its data: the HTTP interface stores
 * an identical block sent twice once, as a replicated table would.
 */
export async function keepInsertBlockIds(client: ClickHouseClient, database: string): Promise<void> {
  const result = await client.query({
    query: `SELECT name FROM system.tables WHERE database = {database:String} AND engine LIKE '%MergeTree'
            AND NOT match(create_table_query, {setting:String})`,
    query_params: { database, setting: `non_replicated_deduplication_window = ${deduplicationWindow}\\b` },
    format: 'JSONEachRow',
  });
  for (const { name } of await result.json<{ name: string }>()) {
    await client.command({
      query: `ALTER TABLE ${quoteIdent(database)}.${quoteIdent(name)} MODIFY SETTING non_replicated_deduplication_window = ${deduplicationWindow}`,
    });
  }
}

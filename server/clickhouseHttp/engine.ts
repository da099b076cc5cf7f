/**
 * Runs one HTTP query on the process's embedded engine. Each query gets a connection of its own
 * (a chDB `Session` on the store's data directory: the same engine and data, a separate session
 * state, opened in a few milliseconds), so its database, its settings and `readonly` last exactly
 * one query and never touch the store's own connection, which the collector and the dashboard use.
 *
 * An INSERT's data reaches the engine as a file (`INSERT … FROM INFILE`), the route the collector's
 * own writer takes: chDB passes query text as a C string, so binary data (RowBinary) can't travel in it.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';

export type EngineQuery = {
  database: string;
  /** Applied with one `SET` before the query; `readonly` last. */
  settings: [string, string][];
  sql: string;
  /** The output format when the query names none. */
  format: string;
  /** Bound by the engine (`{name:Type}` placeholders). */
  params?: Record<string, unknown>;
  /** An INSERT's data, and the statement to run with `{file}` standing for the file holding it. */
  insert?: { data: Buffer; sqlWithFile: (file: string) => string };
};

export type EngineAnswer = { body: Buffer; rowsRead: number; bytesRead: number; elapsedSeconds: number };

export type Engine = {
  run(query: EngineQuery): Promise<EngineAnswer>;
  /** What the engine reports about itself, read once at start. */
  version: string;
  timezone: string;
  close(): void;
};

/** `'…'` with backslash and quote escaped: a setting's value as a string literal. */
export function quoteString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** `` `…` `` with backslash and backquote escaped. */
export function quoteName(name: string): string {
  return `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
}

const spoolPrefix = 'faultline-http-spool-';

export async function openEngine(dataDir: string): Promise<Engine> {
  const spoolRoot = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  removeAbandonedSpools(spoolRoot);
  const spoolDir = join(spoolRoot, `${spoolPrefix}${process.pid}`);
  mkdirSync(spoolDir, { recursive: true });
  let sequence = 0;

  const probe = new Session(dataDir);
  let version = '';
  let timezone = 'UTC';
  try {
    const [v = '', tz = 'UTC'] = (await probe.queryAsync('SELECT version(), timezone()', { format: 'TabSeparated' })).text().trim().split('\t');
    version = v;
    timezone = tz;
  } finally {
    probe.close();
  }

  return {
    version,
    timezone,
    close: () => rmSync(spoolDir, { recursive: true, force: true }),
    async run(query) {
      const session = new Session(dataDir);
      let file: string | undefined;
      try {
        await session.queryAsync(`USE ${quoteName(query.database)}`);
        if (query.settings.length > 0) {
          await session.queryAsync(`SET ${query.settings.map(([name, value]) => `${name} = ${quoteString(value)}`).join(', ')}`);
        }
        let sql = query.sql;
        if (query.insert) {
          file = join(spoolDir, `insert-${sequence++}.bin`);
          await writeFile(file, query.insert.data);
          sql = query.insert.sqlWithFile(file);
        }
        const result =
          query.params && Object.keys(query.params).length > 0
            ? await session.queryBindAsync(sql, query.params, { format: query.format })
            : await session.queryAsync(sql, { format: query.format });
        const bytes = result.bytes();
        return {
          body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
          rowsRead: result.rowsRead,
          bytesRead: result.bytesRead,
          elapsedSeconds: result.elapsed,
        };
      } finally {
        session.close();
        if (file) await rm(file, { force: true });
      }
    },
  };
}

function removeAbandonedSpools(root: string): void {
  for (const name of readdirSync(root)) {
    if (!name.startsWith(spoolPrefix)) continue;
    const pid = Number(name.slice(spoolPrefix.length));
    if (!Number.isInteger(pid) || pid === process.pid || isRunning(pid)) continue;
    rmSync(join(root, name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

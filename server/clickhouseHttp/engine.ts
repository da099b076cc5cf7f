/**
 * Runs one HTTP query on the process's embedded engine. Each query gets a connection of its own
 * (a chDB `Session` on the store's data directory: the same engine and data, a separate session
 * state, opened in a few milliseconds), so its database, its settings and `readonly` last exactly
 * one query and never touch the store's own connection, which the collector and the dashboard use.
 *
 * An INSERT's data reaches the engine as a file (`INSERT … FROM INFILE`), the route the collector's
 * own writer takes: chDB passes query text as a C string, so binary data (RowBinary) can't travel in it.
 */
import { Session } from 'chdb';
import { openSpool } from '../../lib/clickhouse/spool';

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

export async function openEngine(dataDir: string): Promise<Engine> {
  const spool = openSpool('faultline-http-spool-');

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
    close: () => spool.close(),
    async run(query) {
      const session = new Session(dataDir);
      const execute = async (sql: string) => {
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
      };
      try {
        await session.queryAsync(`USE ${quoteName(query.database)}`);
        if (query.settings.length > 0) {
          await session.queryAsync(`SET ${query.settings.map(([name, value]) => `${name} = ${quoteString(value)}`).join(', ')}`);
        }
        const insert = query.insert;
        return insert ? await spool.withFile('insert', insert.data, (file) => execute(insert.sqlWithFile(file))) : await execute(query.sql);
      } finally {
        session.close();
      }
    },
  };
}

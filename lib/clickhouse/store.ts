/**
 * Opens the store: one `@clickhouse/client` for every query and all DDL, on the embedded chDB
 * engine (default) or on a ClickHouse server (`CLICKHOUSE_URL`), plus the collector's writer.
 * Only one chDB engine can live in a process: the hosting process opens it once and shares it
 * through `lib/host.ts`.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { Session } from 'chdb';
import { createChdbConnection } from 'chdb/connection';
import type { FaultlineConfig } from '../config';
import { migrate } from './migrate';
import { keepInsertBlockIds, openInsertJournal } from './insertJournal';
import { markOpen } from './openMarker';
import { migrateQueryViews } from './queryViews';
import { openSpanStaging, stagingTableDdl } from './spanStaging';
import { stagedTraces } from './tables';
import { createChdbWriter, createHttpWriter, type RowWriter } from './writer';

export type Store = {
  client: ClickHouseClient;
  database: string;
  kind: 'chdb' | 'http';
  writer: RowWriter;
  /** Where the embedded engine keeps its data; undefined on a server. */
  dataDir?: string;
  /** The embedded store's last process never closed it (lib/clickhouse/openMarker.ts); false on a server, which can't tell. */
  uncleanStop: boolean;
  /** Resolves once every row acknowledged before the call is visible to queries (lib/clickhouse/spanStaging.ts). */
  caughtUp(): Promise<void>;
  /** What a query waits for: `caughtUp()` while the store keeps up with its writes, nothing while it is saturated. */
  beforeRead(): Promise<void>;
  /** Bytes of span rows acknowledged and not yet in otel_traces; 0 on a server. */
  stagedBytes(): number;
  close(): Promise<void>;
};

/** `onProgress` hears of the slow steps of opening: derived tables built from a large store. */
export async function openStore(config: FaultlineConfig, onProgress?: (line: string) => void): Promise<Store> {
  const { store, embedded } = config.clickhouse.url ? { store: openServerStore(config), embedded: undefined } : openEmbeddedStore(config);
  try {
    const schema = { database: config.clickhouse.database, cluster: config.clickhouse.cluster, retentionDays: config.retentionDays };
    await migrate(store.client, schema);
    // Before derived tables are rebuilt: one rebuilt from otel_traces then holds an interrupted insert once.
    await embedded?.finishUnfinishedInserts(onProgress);
    await migrateQueryViews(store.client, { ...schema, onProgress });
    await embedded?.opened();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/** What opening the embedded store adds to the migrations (lib/clickhouse/insertJournal.ts). */
type EmbeddedSteps = {
  /** Runs again the inserts a killed process left, and moves its staged spans into otel_traces. */
  finishUnfinishedInserts(onProgress?: (line: string) => void): Promise<void>;
  /** The last step: derived tables rebuilt meanwhile remember block ids too, and the store counts as opened. */
  opened(): Promise<void>;
};

function openEmbeddedStore(config: FaultlineConfig): { store: Store; embedded: EmbeddedSteps } {
  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const marker = markOpen(dataDir);
  const connection = createChdbConnection({ path: dataDir });
  const rawClient = createClient({ connection } as Parameters<typeof createClient>[0]);
  // A chDB connection runs one statement at a time: on the client's, every dashboard query would
  // wait for the insert ahead of it. The writer and the span mover have a session each (same engine and data).
  const writerSession = new Session(dataDir);
  const moverSession = new Session(dataDir);
  const database = config.clickhouse.database;
  const staging = openSpanStaging({
    database,
    dataDir,
    run: (sql) => moverSession.queryAsync(sql),
    async listStaged() {
      const result = await rawClient.query({
        query: `SELECT partition, sum(bytes_on_disk) AS bytes FROM system.parts WHERE database = {database:String} AND table = {table:String} AND active
                GROUP BY partition ORDER BY min(modification_time), partition`,
        query_params: { database, table: stagedTraces.name },
        format: 'JSONEachRow',
      });
      return (await result.json<{ partition: string; bytes: string }>()).map((row) => ({ partition: row.partition, bytes: Number(row.bytes) }));
    },
    onError: (error) => console.error(`faultline: moving staged spans into otel_traces failed, will retry: ${error.message}`),
  });
  const client = readingAfter(rawClient, () => staging.beforeRead());
  const writer = createChdbWriter(database, (sql) => writerSession.queryAsync(sql), openInsertJournal(dataDir), staging);
  // A store that failed to open leaves the marker as it found it: an unclean stop stays one.
  let opened = false;
  const embedded: EmbeddedSteps = {
    async finishUnfinishedInserts(onProgress) {
      await client.command({ query: stagingTableDdl(database) });
      await keepInsertBlockIds(client, database);
      const { finished, failed } = await writer.finishUnfinished();
      if (finished > 0) onProgress?.(`finished ${finished} insert(s) the last process was killed in`);
      for (const problem of failed) onProgress?.(`dropped an unfinished insert of the last process: ${problem}`);
      const moved = await staging.recover();
      if (moved > 0) onProgress?.(`moved ${moved} batch(es) of spans the last process had staged into otel_traces`);
    },
    async opened() {
      await keepInsertBlockIds(client, database);
      opened = true;
    },
  };
  const store: Store = {
    client,
    database: config.clickhouse.database,
    kind: 'chdb',
    writer,
    dataDir,
    uncleanStop: marker.uncleanStop,
    caughtUp: () => staging.caughtUp(),
    beforeRead: () => staging.beforeRead(),
    stagedBytes: () => staging.backlogBytes(),
    close: async () => {
      await staging.close().catch(() => undefined);
      writerSession.close();
      moverSession.close();
      await client.close();
      if (opened || !marker.uncleanStop) marker.clear();
    },
  };
  return { store, embedded };
}

/** A client whose queries first wait for the spans acknowledged before them to be moved into otel_traces. */
function readingAfter(client: ClickHouseClient, beforeRead: () => Promise<void>): ClickHouseClient {
  const query: ClickHouseClient['query'] = async (params) => {
    await beforeRead();
    return client.query(params);
  };
  return new Proxy(client, {
    get(target, property) {
      if (property === 'query') return query;
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function openServerStore(config: FaultlineConfig): Store {
  const client = createClient({
    url: config.clickhouse.url,
    username: config.clickhouse.user,
    password: config.clickhouse.password,
    clickhouse_settings: { date_time_input_format: 'best_effort' },
  });
  return {
    client,
    database: config.clickhouse.database,
    kind: 'http',
    uncleanStop: false,
    caughtUp: () => Promise.resolve(),
    beforeRead: () => Promise.resolve(),
    stagedBytes: () => 0,
    writer: createHttpWriter(config.clickhouse.database, client),
    close: () => client.close(),
  };
}

/**
 * Versioned, idempotent migrations, run at start-up: each schema object is created once and
 * recorded in `faultline_schema_migrations`; a second run applies nothing.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { quoteIdent, renderDdl, type DdlOptions } from './renderDdl';
import { schemaObjects } from './schema';

export const migrationsTable = 'faultline_schema_migrations';

export type MigrationResult = { applied: string[]; fullText: boolean };

export async function migrate(
  client: ClickHouseClient,
  options: Omit<DdlOptions, 'fullText'>,
): Promise<MigrationResult> {
  const db = quoteIdent(options.database);
  const onCluster = options.cluster ? ` ON CLUSTER ${quoteIdent(options.cluster)}` : '';
  const engine = options.cluster
    ? `ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')`
    : 'ReplacingMergeTree()';
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${db}${onCluster}` });
  await client.command({
    query:
      `CREATE TABLE IF NOT EXISTS ${db}.${quoteIdent(migrationsTable)}${onCluster} ` +
      `(version UInt32, name String, applied_at DateTime64(3) DEFAULT now64(3)) ENGINE = ${engine} ORDER BY version`,
  });
  const fullText = supportsTextIndexes(await serverVersion(client));
  const done = await appliedVersions(client, options.database);
  const applied: string[] = [];
  for (const object of schemaObjects) {
    if (done.has(object.version)) continue;
    for (const statement of renderDdl(object, { ...options, fullText })) {
      await client.command({ query: statement });
    }
    await client.insert({
      table: `${options.database}.${migrationsTable}`,
      values: [{ version: object.version, name: object.name }],
      format: 'JSONEachRow',
    });
    applied.push(object.name);
  }
  return { applied, fullText };
}

/** True once every schema object has been applied. */
export async function isMigrated(client: ClickHouseClient, database: string): Promise<boolean> {
  const done = await appliedVersions(client, database);
  return schemaObjects.every((object) => done.has(object.version));
}

async function appliedVersions(client: ClickHouseClient, database: string): Promise<Set<number>> {
  const result = await client.query({
    query: `SELECT version FROM ${quoteIdent(database)}.${quoteIdent(migrationsTable)} FINAL`,
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ version: number }>();
  return new Set(rows.map((row) => Number(row.version)));
}

async function serverVersion(client: ClickHouseClient): Promise<string> {
  const result = await client.query({ query: 'SELECT version() AS version', format: 'JSONEachRow' });
  const [row] = await result.json<{ version: string }>();
  return row?.version ?? '0.0';
}

export function supportsTextIndexes(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 26 || (major === 26 && minor >= 2);
}

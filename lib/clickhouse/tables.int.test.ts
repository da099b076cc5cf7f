import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startTestFaultline, type TestFaultline } from '@/tests/support/faultline';
import { queryViews } from './queryViews';
import { derivedTables, stagedTraces, tableNames, writtenTables } from './tables';
import { durationBoundariesMs } from '../contract/slo';

let faultline: TestFaultline;

beforeAll(async () => {
  faultline = await startTestFaultline();
});
afterAll(async () => {
  await faultline?.stop();
});

type StoredColumn = { table: string; name: string; type: string };

async function storedColumns(): Promise<Map<string, [string, string][]>> {
  const rows = await faultline.query<StoredColumn>(
    `SELECT table, name, type FROM system.columns
      WHERE database = {database:String} AND default_kind = '' ORDER BY table, position`,
    { database: faultline.store.database },
  );
  const byTable = new Map<string, [string, string][]>();
  for (const { table, name, type } of rows) byTable.set(table, [...(byTable.get(table) ?? []), [name, type]]);
  return byTable;
}

describe('the table layouts in tables.ts', () => {
  it('match the columns, order and types the DDL files create, for every table Faultline inserts into', async () => {
    const stored = await storedColumns();
    for (const table of [...Object.values(writtenTables), stagedTraces]) {
      expect({ table: table.name, columns: stored.get(table.name) }).toEqual({ table: table.name, columns: table.columns.map(([name, type]) => [name, type]) });
    }
  });

  it('name every table the migrations and derived views create, and nothing else', async () => {
    const rows = await faultline.query<{ name: string }>(
      `SELECT name FROM system.tables WHERE database = {database:String} AND engine != 'MaterializedView' AND name != 'faultline_schema_migrations'`,
      { database: faultline.store.database },
    );
    expect(rows.map((row) => row.name).sort()).toEqual([...tableNames].sort());
    expect(queryViews.map((view) => view.table).every((name) => name in derivedTables)).toBe(true);
  });

  it("share the SLO duration buckets with the view that counts them (faultline_slo_minutes_mv.sql)", () => {
    const view = readFileSync(new URL('./ddl/faultline_slo_minutes_mv.sql', import.meta.url), 'utf8');
    const list = /arrayCount\(b -> Duration > b \* 1000000, \[([\d, ]+)\]\)/.exec(view)?.[1];
    expect(list?.split(',').map(Number)).toEqual([...durationBoundariesMs]);
  });
});

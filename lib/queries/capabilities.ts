/**
 * What the store at hand offers, asked once per client: a function of newer ClickHouse versions, or a
 * derived table that the migrations may not have created (yet). Query modules use it to take the fast
 * path where it exists and a plain one where it doesn't.
 */
import { sql } from '@/lib/clickhouse/sql';
import { selectRows, type QueryStore } from '../clickhouse/selectRows';

const known = new WeakMap<object, Map<string, boolean>>();

async function cached(store: QueryStore, key: string, ask: () => Promise<boolean>): Promise<boolean> {
  const answers = known.get(store.client) ?? new Map<string, boolean>();
  known.set(store.client, answers);
  const answer = answers.get(key);
  if (answer !== undefined) return answer;
  const found = await ask();
  // A missing table may be created by a later migration: only a "yes" is final.
  if (found || key.startsWith('function:')) answers.set(key, found);
  return found;
}

export function hasFunction(store: QueryStore, name: string): Promise<boolean> {
  return cached(store, `function:${name}`, async () => {
    const [row] = await selectRows<{ found: number }>(store, sql`SELECT count() AS found FROM system.functions WHERE name = ${name}`);
    return (row?.found ?? 0) > 0;
  });
}

export function hasTable(store: QueryStore, name: string): Promise<boolean> {
  return cached(store, `table:${name}`, async () => {
    const [row] = await selectRows<{ found: number }>(
      store,
      sql`SELECT count() AS found FROM system.tables WHERE database = ${store.database} AND name = ${name}`,
    );
    return (row?.found ?? 0) > 0;
  });
}

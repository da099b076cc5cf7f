/**
 * Opens a service's own SQLite file (`<dataDir>/<service>.sqlite`) and applies
 * its schema. Each service owns its file; no service opens another's.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type { Database };

export function openDatabase(dataDir: string, service: string, schemaUrls: URL[]): Database.Database {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, `${service}.sqlite`));
  // WAL lets readers proceed during a write; NORMAL sync is durable enough for a demo shop.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  for (const url of schemaUrls) db.exec(readFileSync(url, 'utf8'));
  return db;
}

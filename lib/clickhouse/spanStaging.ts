/**
 * On the embedded store the collector commits span rows first into `faultline_traces_staging`, a
 * MergeTree without indexes or views, one partition per insert, and a mover copies them into
 * `otel_traces` in larger batches and drops the partitions it copied. A small insert then costs one
 * cheap part; `otel_traces`, its indexes and the eleven tables its materialized views fill are written
 * a few times a second, whatever the size of the senders' requests (docs/architecture.md, "Staged
 * spans"; docs/benchmarks.md).
 *
 * Reads see every acknowledged span while the mover keeps up: the store's query client waits for
 * `beforeRead()` (lib/clickhouse/store.ts). When the store is saturated, a query reads what has been
 * moved instead of waiting behind the backlog.
 *
 * A move survives a crash: its list of partitions is written to `moves/` in the data directory before
 * the copy and removed after the drop. The next open runs a listed move again with the same
 * deduplication token (written only to the tables that missed it, as lib/clickhouse/insertJournal.ts
 * explains), then moves whatever is still staged.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { insertToken } from './insertJournal';
import { quoteIdent } from './renderDdl';
import { stagedTraces, writtenTables } from './tables';


export type StagingOptions = {
  database: string;
  dataDir: string;
  /** Runs a statement on the mover's own session. */
  run(sql: string): Promise<unknown>;
  /** The staged partitions, oldest first (read at open only). */
  listStaged(): Promise<{ partition: string; bytes: number }[]>;
  /** Staged bytes that start a move at once. */
  moveBytes?: number;
  /** How long a staged batch waits for others before it is moved. */
  delayMs?: number;
  /** Staged bytes, or inserts, not yet moved from which on the writer waits. */
  limitBytes?: number;
  limitBatches?: number;
  /** Told when a move fails; it is tried again. */
  onError?: (error: Error) => void;
};

export type SpanStaging = {
  /** The writer's insert of `bytes` under `token` has committed. */
  staged(token: string, bytes: number): void;
  /** Resolves once fewer than `limitBytes` and `limitBatches` are staged and not moved; rejects while they can't be moved. */
  room(): Promise<void>;
  /** Resolves once every batch staged before the call has been moved, or a move of them has just failed. */
  caughtUp(): Promise<void>;
  /** `caughtUp()`, or at once while more than `moveBytes` waits to be moved (the mover is behind). */
  beforeRead(): Promise<void>;
  /** Bytes staged and not yet moved. */
  backlogBytes(): number;
  /** At open: finishes the moves a killed process left and moves what it staged; returns the batches moved. */
  recover(): Promise<number>;
  /** Moves what is staged and stops. */
  close(): Promise<void>;
};

export function stagingTableDdl(database: string): string {
  const columns = stagedTraces.columns.map(([name, type]) => `"${name}" ${type}`).join(', ');
  return `CREATE TABLE IF NOT EXISTS ${quoteIdent(database)}.${quoteIdent(stagedTraces.name)} (${columns}, ` +
    `Batch String DEFAULT getSetting('insert_deduplication_token')) ENGINE = MergeTree PARTITION BY Batch ORDER BY tuple()`;
}

type Batch = { seq: number; token: string; bytes: number };
type Waiter = { upTo: number; resolve: () => void };

export function openSpanStaging(options: StagingOptions): SpanStaging {
  const { database, run, moveBytes = 8 << 20, delayMs = 200, limitBytes = 64 << 20, limitBatches = 1_000 } = options;
  const movesDir = join(options.dataDir, 'moves');
  mkdirSync(movesDir, { recursive: true });
  const db = quoteIdent(database);
  const columns = stagedTraces.columnNames.map((name) => `"${name}"`).join(', ');
  const queue: Batch[] = [];
  // A failed move is run again as it was, before anything staged since: its copy may have committed under its token.
  let retry: Batch[] | undefined;
  let queuedBytes = 0;
  let movingBytes = 0;
  let seq = 0;
  let movedUpTo = 0;
  let moving: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let waiters: Waiter[] = [];
  let roomWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  let failure: Error | undefined;
  const waiting = () => queue.length + (retry?.length ?? 0);
  const full = () => queuedBytes + movingBytes >= limitBytes || waiting() >= limitBatches;
  let closed = false;

  const copy = async (token: string, partitions: readonly string[]) => {
    const list = partitions.map((partition) => `'${partition}'`).join(', ');
    // One thread: the copy forms the same blocks when run again, so its token matches them.
    await run(
      `INSERT INTO ${db}.${quoteIdent(writtenTables.traces.name)} (${columns}) SELECT ${columns} FROM ${db}.${quoteIdent(stagedTraces.name)} ` +
        `WHERE Batch IN (${list}) SETTINGS insert_deduplication_token = '${token}', deduplicate_blocks_in_dependent_materialized_views = 1, ` +
        `parallel_view_processing = 1, max_threads = 1, max_insert_threads = 1, async_insert = 0`,
    );
    await run(`ALTER TABLE ${db}.${quoteIdent(stagedTraces.name)} ${partitions.map((partition) => `DROP PARTITION '${partition}'`).join(', ')}`);
  };

  const moveOnce = async (batches: Batch[]) => {
    const partitions = batches.map((batch) => batch.token);
    if (!partitions.every((partition) => insertToken.test(partition))) throw new Error('a staged partition is not an insert token');
    const token = `move-${partitions[0]}-${partitions.length}`;
    const manifest = join(movesDir, `${token}.json`);
    await writeFile(`${manifest}.partial`, JSON.stringify(partitions));
    await rename(`${manifest}.partial`, manifest);
    await copy(token, partitions);
    await rm(manifest, { force: true });
  };

  const answer = (upTo: number) => {
    for (const waiter of waiters.filter((waiter) => waiter.upTo <= upTo)) waiter.resolve();
    waiters = waiters.filter((waiter) => waiter.upTo > upTo);
  };

  /** Resolves true once moved; false when the move failed and was put off. */
  const moveQueued = async (): Promise<boolean> => {
    const batches = retry ?? queue.splice(0, queue.length);
    retry = undefined;
    const bytes = batches.reduce((sum, batch) => sum + batch.bytes, 0);
    const upTo = batches.at(-1)!.seq;
    queuedBytes -= bytes;
    movingBytes = bytes;
    try {
      await moveOnce(batches);
      failure = undefined;
      movedUpTo = upTo;
      return true;
    } catch (error) {
      retry = batches;
      queuedBytes += bytes;
      failure = error as Error;
      options.onError?.(failure);
      arm(1_000);
      return false;
    } finally {
      movingBytes = 0;
      // Readers waiting on a failed move read without it; the next one tries the move again.
      answer(upTo);
      const settled = roomWaiters;
      if (!full()) settled.forEach((waiter) => waiter.resolve());
      else if (failure) settled.forEach((waiter) => waiter.reject(failure!));
      if (!full() || failure) roomWaiters = [];
    }
  };

  const kick = () => {
    if (moving || waiting() === 0) return;
    clearTimeout(timer);
    timer = undefined;
    moving = moveQueued().then((moved) => {
      moving = undefined;
      if (!moved) return;
      if (queuedBytes >= moveBytes || waiters.some((waiter) => waiter.upTo > movedUpTo)) kick();
      else if (waiting() > 0) arm(delayMs);
    });
  };

  const arm = (ms: number) => {
    if (closed) return;
    timer ??= setTimeout(() => {
      timer = undefined;
      kick();
    }, ms);
  };

  return {
    staged(token, bytes) {
      queue.push({ seq: ++seq, token, bytes });
      queuedBytes += bytes;
      if (queuedBytes >= moveBytes) kick();
      else arm(delayMs);
    },
    room() {
      if (!full()) return Promise.resolve();
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => roomWaiters.push({ resolve, reject }));
    },
    caughtUp() {
      if (movedUpTo >= seq) return Promise.resolve();
      const done = new Promise<void>((resolve) => waiters.push({ upTo: seq, resolve }));
      kick();
      return done;
    },
    backlogBytes: () => queuedBytes + movingBytes,
    beforeRead() {
      return queuedBytes + movingBytes >= moveBytes ? Promise.resolve() : this.caughtUp();
    },
    async recover() {
      let moved = 0;
      for (const name of readdirSync(movesDir)) {
        const path = join(movesDir, name);
        if (name.endsWith('.json')) {
          const partitions = JSON.parse(readFileSync(path, 'utf8')) as string[];
          if (partitions.every((partition) => insertToken.test(partition))) await copy(name.slice(0, -'.json'.length), partitions);
          moved++;
        }
        rmSync(path, { force: true });
      }
      for (const { partition, bytes } of await options.listStaged()) {
        queue.push({ seq: ++seq, token: partition, bytes });
        queuedBytes += bytes;
      }
      if (waiting() > 0) {
        moved += waiting();
        await this.caughtUp();
        if (waiting() > 0) throw new Error(`could not move ${waiting()} staged span batch(es) into otel_traces`);
      }
      return moved;
    },
    async close() {
      await this.caughtUp();
      closed = true;
      clearTimeout(timer);
      await moving;
    },
  };
}

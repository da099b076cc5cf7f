/**
 * Group commit: gathers the RowBinary rows of concurrent requests into one insert per table
 * (RowBinary rows simply concatenate). Each insert costs tens of milliseconds however small it
 * is, so at most `maxConcurrentInserts` run per table, and the rows that arrive meanwhile form
 * the next batch: batches stay small and fast when load is light and grow with it. A request's
 * promise settles when the insert holding its rows commits or fails, so a 200 means "stored".
 */
import type { RowWriter } from '../../lib/clickhouse/writer';
import { StoreWriteError } from '../errors';

export type TableChunk = { table: string; columns: readonly string[]; rows: Buffer; count: number };

type Waiter = { resolve: () => void; reject: (error: unknown) => void };

type PendingBatch = { columns: readonly string[]; parts: Buffer[]; count: number; waiters: Waiter[] };

export type BatchOptions = { maxRows: number; maxDelayMs: number; maxConcurrentInserts: number };

export class BatchProcessor {
  private readonly pending = new Map<string, PendingBatch>();
  private readonly running = new Map<string, Set<Promise<void>>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly writer: RowWriter,
    private readonly options: BatchOptions,
  ) {}

  /** Resolves once the chunk's rows are committed. */
  add(chunk: TableChunk): Promise<void> {
    if (chunk.count === 0) return Promise.resolve();
    let batch = this.pending.get(chunk.table);
    if (!batch) {
      batch = { columns: chunk.columns, parts: [], count: 0, waiters: [] };
      this.pending.set(chunk.table, batch);
    }
    batch.parts.push(chunk.rows);
    batch.count += chunk.count;
    const done = new Promise<void>((resolve, reject) => batch.waiters.push({ resolve, reject }));
    this.schedule(chunk.table, batch.count >= this.options.maxRows ? 0 : this.options.maxDelayMs);
    return done;
  }

  /** Flushes every pending batch and waits for all inserts (used on shutdown). */
  async drain(): Promise<void> {
    for (;;) {
      for (const table of this.pending.keys()) this.schedule(table, 0);
      const inserts = [...this.running.values()].flatMap((set) => [...set]);
      if (inserts.length === 0 && this.pending.size === 0) return;
      await Promise.allSettled(inserts);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private schedule(table: string, delayMs: number): void {
    const timer = this.timers.get(table);
    if (timer && delayMs > 0) return;
    if (timer) clearTimeout(timer);
    this.timers.set(
      table,
      setTimeout(() => {
        this.timers.delete(table);
        this.flush(table);
      }, delayMs),
    );
  }

  private flush(table: string): void {
    const inserts = this.running.get(table) ?? new Set<Promise<void>>();
    this.running.set(table, inserts);
    // At the limit, rows keep gathering; the next insert to finish sends them on.
    if (inserts.size >= this.options.maxConcurrentInserts) return;
    const batch = this.pending.get(table);
    if (!batch) return;
    this.pending.delete(table);
    const rows = batch.parts.length === 1 ? batch.parts[0]! : Buffer.concat(batch.parts);
    const insert: Promise<void> = this.writer
      .insertRowBinary(table, batch.columns, rows)
      .then(
        () => batch.waiters.forEach((waiter) => waiter.resolve()),
        (error: unknown) => {
          const failure = new StoreWriteError(error instanceof Error ? error.message : String(error), { cause: error });
          batch.waiters.forEach((waiter) => waiter.reject(failure));
        },
      )
      .finally(() => {
        inserts.delete(insert);
        if (this.pending.has(table)) this.schedule(table, 0);
      });
    inserts.add(insert);
  }
}

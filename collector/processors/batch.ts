/**
 * Gathers the RowBinary rows of many requests into few large inserts per table (RowBinary rows
 * simply concatenate). A part costs ClickHouse a large fixed price — measured here, a
 * 1,000-row insert into otel_traces costs ~10× the CPU per row of a 100,000-row one — so a batch
 * goes when it holds `minRows`, or once it is `maxDelayMs` old, like the OpenTelemetry
 * Collector's batch processor. At most `maxConcurrentInserts` run per table; rows arriving
 * meanwhile join the next batch (up to `maxRows`), so batches grow with load. A request's
 * promise settles when the insert holding its rows commits or fails: a 200 means "stored".
 */
import type { RowWriter } from '../../lib/clickhouse/writer';
import { StoreWriteError } from '../errors';

export type TableChunk = { table: string; columns: readonly string[]; rows: Buffer; count: number };

type Waiter = { resolve: () => void; reject: (error: unknown) => void };

/** Rows of several requests: `parts[i]` holds `counts[i]` rows of the request `waiters[i]` answers. */
type PendingBatch = { columns: readonly string[]; parts: Buffer[]; counts: number[]; count: number; waiters: Waiter[]; due: boolean };

export type BatchOptions = { minRows: number; maxRows: number; maxDelayMs: number; maxConcurrentInserts: number };

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
      batch = { columns: chunk.columns, parts: [], counts: [], count: 0, waiters: [], due: false };
      this.pending.set(chunk.table, batch);
    }
    batch.parts.push(chunk.rows);
    batch.counts.push(chunk.count);
    batch.count += chunk.count;
    const done = new Promise<void>((resolve, reject) => batch.waiters.push({ resolve, reject }));
    if (batch.count >= this.options.minRows) batch.due = true;
    this.schedule(chunk.table, batch.due ? 0 : this.options.maxDelayMs);
    return done;
  }

  /** Flushes every pending batch and waits for all inserts (used on shutdown). */
  async drain(): Promise<void> {
    for (;;) {
      for (const [table, batch] of this.pending) {
        batch.due = true;
        this.flush(table);
      }
      const inserts = [...this.running.values()].flatMap((set) => [...set]);
      if (inserts.length === 0) return;
      await Promise.allSettled(inserts);
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
        const batch = this.pending.get(table);
        if (batch) batch.due = true;
        this.flush(table);
      }, delayMs),
    );
  }

  private flush(table: string): void {
    const inserts = this.running.get(table) ?? new Set<Promise<void>>();
    this.running.set(table, inserts);
    // At the limit, rows keep gathering; the next insert to finish sends them on.
    if (inserts.size >= this.options.maxConcurrentInserts) return;
    const pending = this.pending.get(table);
    if (!pending?.due) return;
    const batch = this.takeRows(table, pending);
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
        if (this.pending.get(table)?.due) this.schedule(table, 0);
      });
    inserts.add(insert);
  }

  /** Takes at most `maxRows` rows (whole requests) off the pending batch; the rest stay due. */
  private takeRows(table: string, pending: PendingBatch): PendingBatch {
    if (pending.count <= this.options.maxRows || pending.parts.length === 1) {
      this.pending.delete(table);
      return pending;
    }
    const taken: PendingBatch = { columns: pending.columns, parts: [], counts: [], count: 0, waiters: [], due: true };
    while (pending.parts.length > 0 && taken.count < this.options.maxRows) {
      const part = pending.parts.shift()!;
      const count = pending.counts.shift()!;
      taken.parts.push(part);
      taken.counts.push(count);
      taken.count += count;
      taken.waiters.push(pending.waiters.shift()!);
    }
    pending.count -= taken.count;
    return taken;
  }
}

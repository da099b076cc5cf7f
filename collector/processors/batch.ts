/**
 * The batch processor: gathers the RowBinary rows of many requests into few large batches per table
 * (RowBinary rows simply concatenate), each handed to the exporter as one insert. A part costs ClickHouse a large fixed price — measured here, a
 * 1,000-row insert into otel_traces costs ~10× the CPU per row of a 100,000-row one, and a
 * 10-row one costs about as much as a 5,000-row one (its materialized views each write a part,
 * and every part is merged again later) — so a batch goes when it holds `minRows`, or once it is
 * `maxDelayMs` old, like the OpenTelemetry Collector's batch processor. At low volume the delay
 * alone decides how many inserts there are, hence a long one (seconds).
 *
 * A long wait must not throttle a busy sender: OpenTelemetry SDKs export one batch at a time and
 * the next only once this one is answered, so a sender whose request is a full SDK batch
 * (`fullRequestRows`: the specification's default export batch size is 512 spans or log records) has
 * more queued behind it, and would be held to one batch per `maxDelayMs`, dropping what overflows its
 * queue. A batch holding such a request goes once it is `fullRequestDelayMs` old instead (measured
 * on the demo shop at 150 actions/s on a loaded machine: the SDKs' queues overflowed less with
 * these two delays than with 200 ms for all).
 *
 * At most `maxConcurrentInserts` run per table; rows arriving meanwhile join the next batch (up to
 * `maxRows`), so batches grow with load. A request's promise settles when the insert holding its
 * rows commits or fails: a 200 means "stored".
 */
import type { TableLayout } from '../../lib/clickhouse/tables';
import type { FaultlineConfig } from '../../lib/config';
import type { TableChunk } from '../../lib/otlp/rows/tableChunk';
import type { Exporter } from '../exporters/clickhouse';

type Waiter = { resolve: () => void; reject: (error: unknown) => void };

/** Rows of several requests: `parts[i]` holds `counts[i]` rows of the request `waiters[i]` answers. */
type PendingBatch = { table: TableLayout; parts: Buffer[]; counts: number[]; count: number; waiters: Waiter[]; due: boolean };

export type BatchOptions = FaultlineConfig['batch'];

export class BatchProcessor {
  private readonly pending = new Map<string, PendingBatch>();
  private readonly running = new Map<string, Set<Promise<void>>>();
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; at: number }>();

  constructor(
    private readonly exporter: Exporter,
    private readonly options: BatchOptions,
  ) {}

  /** Resolves once the chunk's rows are committed. */
  add(chunk: TableChunk): Promise<void> {
    if (chunk.count === 0) return Promise.resolve();
    const table = chunk.table.name;
    let batch = this.pending.get(table);
    if (!batch) {
      batch = { table: chunk.table, parts: [], counts: [], count: 0, waiters: [], due: false };
      this.pending.set(table, batch);
    }
    batch.parts.push(chunk.rows);
    batch.counts.push(chunk.count);
    batch.count += chunk.count;
    const done = new Promise<void>((resolve, reject) => batch.waiters.push({ resolve, reject }));
    if (batch.count >= this.options.minRows) batch.due = true;
    this.schedule(table, batch.due ? 0 : this.delayFor(chunk.count));
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

  private delayFor(requestRows: number): number {
    const { maxDelayMs, fullRequestRows, fullRequestDelayMs } = this.options;
    return requestRows >= fullRequestRows ? Math.min(fullRequestDelayMs, maxDelayMs) : maxDelayMs;
  }

  /** Makes the table's batch go in `delayMs` unless it is already due sooner. */
  private schedule(table: string, delayMs: number): void {
    const at = performance.now() + delayMs;
    const current = this.timers.get(table);
    if (current && current.at <= at) return;
    if (current) clearTimeout(current.timer);
    const timer = setTimeout(() => {
      this.timers.delete(table);
      const batch = this.pending.get(table);
      if (batch) batch.due = true;
      this.flush(table);
    }, delayMs);
    this.timers.set(table, { timer, at });
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
    const insert: Promise<void> = this.exporter(batch.table, rows)
      .then(
        () => batch.waiters.forEach((waiter) => waiter.resolve()),
        (error: unknown) => batch.waiters.forEach((waiter) => waiter.reject(error)),
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
    const taken: PendingBatch = { table: pending.table, parts: [], counts: [], count: 0, waiters: [], due: true };
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

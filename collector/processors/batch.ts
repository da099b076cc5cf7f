/**
 * The batch processor: gathers the RowBinary rows of many requests into few large batches per table
 * (RowBinary rows simply concatenate), each handed to the exporter as one insert. A part costs ClickHouse a large fixed price — measured here, a
 * 1,000-row insert into otel_traces costs ~10× the CPU per row of a 100,000-row one, and a
 * 10-row one costs about as much as a 5,000-row one (its materialized views each write a part,
 * and every part is merged again later) — so rows wait for more rows, but only while more are coming:
 *
 * - a batch goes at once when it holds `minRows`;
 * - every OTLP sender waits for its answer before it sends again, so once the requests the table's
 *   last insert answered come back at once (each within `returnGapMs` of the answer or of the one
 *   before), nothing more is coming from them until theirs is answered: their batch goes as soon as
 *   all of them are back, or once at least half are and `returnGapMs` pass without a request.
 *   Throughput then doesn't depend on how many rows a request holds;
 * - otherwise requests come on their own clocks (SDKs export every few seconds): a batch goes once
 *   no request has arrived for `idleMs`, so a quiet collector answers quickly, and busy traffic
 *   gathers into one insert per lull;
 * - and in any case once it is `maxDelayMs` old.
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
type PendingBatch = {
  table: TableLayout;
  parts: Buffer[];
  counts: number[];
  count: number;
  waiters: Waiter[];
  openedAt: number;
  lastArrivalAt: number;
  due: boolean;
};

type TableState = {
  pending?: PendingBatch;
  inserts: Set<Promise<void>>;
  timer?: { timer: NodeJS.Timeout; at: number };
  /** Requests the last insert answered, how many came back right after, and until when the next one counts. */
  answered: number;
  returned: number;
  returningUntil: number;
};

export type BatchOptions = FaultlineConfig['batch'];

export class BatchProcessor {
  private readonly tables = new Map<string, TableState>();

  constructor(
    private readonly exporter: Exporter,
    private readonly options: BatchOptions,
  ) {}

  /** Resolves once the chunk's rows are committed. */
  add(chunk: TableChunk): Promise<void> {
    if (chunk.count === 0) return Promise.resolve();
    const now = performance.now();
    const table = chunk.table.name;
    const state = this.stateOf(table);
    if (now <= state.returningUntil) {
      state.returned++;
      state.returningUntil = now + this.options.returnGapMs;
    } else {
      state.returningUntil = -Infinity;
    }
    const batch = (state.pending ??= { table: chunk.table, parts: [], counts: [], count: 0, waiters: [], openedAt: now, lastArrivalAt: now, due: false });
    batch.parts.push(chunk.rows);
    batch.counts.push(chunk.count);
    batch.count += chunk.count;
    batch.lastArrivalAt = now;
    const done = new Promise<void>((resolve, reject) => batch.waiters.push({ resolve, reject }));
    this.schedule(table, state);
    return done;
  }

  /** Flushes every pending batch and waits for all inserts (used on shutdown). */
  async drain(): Promise<void> {
    for (;;) {
      for (const [table, state] of this.tables) {
        if (!state.pending) continue;
        state.pending.due = true;
        this.flush(table, state);
      }
      const inserts = [...this.tables.values()].flatMap((state) => [...state.inserts]);
      if (inserts.length === 0) return;
      await Promise.allSettled(inserts);
    }
  }

  private stateOf(table: string): TableState {
    let state = this.tables.get(table);
    if (!state) {
      state = { inserts: new Set(), answered: 0, returned: 0, returningUntil: -Infinity };
      this.tables.set(table, state);
    }
    return state;
  }

  /** When the pending batch goes, by the rules above. */
  private dueAt(state: TableState, batch: PendingBatch): number {
    const { minRows, maxDelayMs, idleMs, returnGapMs } = this.options;
    if (batch.due || batch.count >= minRows) return 0;
    if (state.answered > 0 && state.returned >= state.answered) return 0;
    const cameBack = state.returned > 0 && 2 * state.returned >= state.answered;
    return Math.min(batch.openedAt + maxDelayMs, batch.lastArrivalAt + (cameBack ? returnGapMs : idleMs));
  }

  /** Flushes the pending batch if it is due, or sets a timer to look again when it will be. */
  private schedule(table: string, state: TableState): void {
    const batch = state.pending;
    if (!batch) return;
    const at = this.dueAt(state, batch);
    const now = performance.now();
    if (at <= now) {
      batch.due = true;
      this.flush(table, state);
      return;
    }
    if (state.timer && state.timer.at <= at) return;
    if (state.timer) clearTimeout(state.timer.timer);
    const timer = setTimeout(() => {
      state.timer = undefined;
      this.schedule(table, state);
    }, at - now);
    state.timer = { timer, at };
  }

  private flush(table: string, state: TableState): void {
    // At the limit, rows keep gathering; the next insert to finish sends them on.
    if (state.inserts.size >= this.options.maxConcurrentInserts) return;
    const pending = state.pending;
    if (!pending?.due) return;
    const batch = this.takeRows(state, pending);
    const insert: Promise<void> = this.exporter(batch.table, batch.parts)
      .then(
        () => batch.waiters.forEach((waiter) => waiter.resolve()),
        (error: unknown) => batch.waiters.forEach((waiter) => waiter.reject(error)),
      )
      .finally(() => {
        state.inserts.delete(insert);
        state.answered = batch.waiters.length;
        state.returned = 0;
        state.returningUntil = performance.now() + this.options.returnGapMs;
        this.schedule(table, state);
      });
    state.inserts.add(insert);
  }

  /** Takes at most `maxRows` rows (whole requests) off the pending batch; the rest stay due. */
  private takeRows(state: TableState, pending: PendingBatch): PendingBatch {
    if (pending.count <= this.options.maxRows || pending.parts.length === 1) {
      state.pending = undefined;
      return pending;
    }
    const taken: PendingBatch = { ...pending, parts: [], counts: [], count: 0, waiters: [] };
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

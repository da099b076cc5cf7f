/**
 * The span, log record and data point times the store keeps. The tables' TTL
 * (`FAULTLINE_RETENTION_DAYS`, lib/clickhouse/renderDdl.ts) deletes a row older than the retention
 * window as soon as ClickHouse looks at it, so such an item is refused instead of acknowledged and
 * lost; an item further ahead than `maxFutureSkewMs` is refused as a sender's clock error.
 */

/** How far ahead of the collector's clock an item's time may be. */
export const maxFutureSkewMs = 24 * 60 * 60 * 1000;

const nanosPerMilli = 1_000_000n;
const millisPerDay = 24 * 60 * 60 * 1000;

/** Bounds in Unix nanoseconds, inclusive; `oldest` is 0 when retention is off (0 days). */
export type TimeWindow = { now: bigint; oldest: bigint; newest: bigint; retentionDays: number };

/** The window for one request, from one reading of the clock. */
export function timeWindow(nowMs: number, retentionDays: number): TimeWindow {
  const now = BigInt(nowMs) * nanosPerMilli;
  return {
    now,
    oldest: retentionDays > 0 ? BigInt(nowMs - retentionDays * millisPerDay) * nanosPerMilli : 0n,
    newest: BigInt(nowMs + maxFutureSkewMs) * nanosPerMilli,
    retentionDays,
  };
}

/** Items refused per reason, and the first reason in words for the partial-success message. */
export type Refused = { invalid: number; tooOld: number; tooNew: number; message?: string };

export function refusedTotal(refused: Refused): number {
  return refused.invalid + refused.tooOld + refused.tooNew;
}

/** Counts an item whose time lies outside the window; true when it does. */
export function outsideWindow(time: bigint, window: TimeWindow, refused: Refused): boolean {
  if (time < window.oldest) refused.tooOld++;
  else if (time > window.newest) refused.tooNew++;
  else return false;
  return true;
}

/** The rows whose time lies inside the window; the others are counted in `refused`. */
export function keepInWindow<Row>(rows: Row[], timeOf: (row: Row) => bigint, window: TimeWindow, refused: Refused): Row[] {
  return rows.filter((row) => !outsideWindow(timeOf(row), window, refused));
}

/**
 * What the partial-success message says: the first invalid item's reason and why items outside the
 * window were refused, naming the setting that decides it.
 */
export function refusalMessage(refused: Refused, items: string, window: TimeWindow): string {
  const parts: string[] = [];
  if (refused.invalid > 0) parts.push(refused.message ?? `${refused.invalid} invalid ${items}`);
  if (refused.tooOld > 0) {
    parts.push(
      `${refused.tooOld} ${items} older than the retention window (FAULTLINE_RETENTION_DAYS=${window.retentionDays}: ` +
        `before ${isoTime(window.oldest)}), which the store would delete at once`,
    );
  }
  if (refused.tooNew > 0) {
    parts.push(`${refused.tooNew} ${items} more than ${maxFutureSkewMs / millisPerDay} day ahead of the collector's clock (after ${isoTime(window.newest)}); check the sender's clock`);
  }
  return parts.join('; ');
}

function isoTime(nanos: bigint): string {
  return new Date(Number(nanos / nanosPerMilli)).toISOString();
}

/**
 * The waterfall's time geometry, pure: the trace's extent, a zoom window over it (fractions 0..1 of
 * the trace), and where a span's bar falls in the visible part (fractions 0..1 of the viewport).
 */

export type Extent = { startMs: number; endMs: number };
export type ViewWindow = { start: number; end: number };
export type BarPosition = { left: number; width: number; clippedStart: boolean; clippedEnd: boolean };

export const fullView: ViewWindow = { start: 0, end: 1 };
/** The narrowest window: a millionth of the trace, far below one pixel of the full view. */
const minWidth = 1e-6;

export function traceExtent(spans: readonly { startMs: number; durationMs: number }[]): Extent {
  let startMs = Infinity;
  let endMs = -Infinity;
  for (const span of spans) {
    startMs = Math.min(startMs, span.startMs);
    endMs = Math.max(endMs, span.startMs + span.durationMs);
  }
  if (!Number.isFinite(startMs)) return { startMs: 0, endMs: 1 };
  // A trace of instants still needs a width to draw against.
  return { startMs, endMs: Math.max(endMs, startMs + 1e-3) };
}

/** The bar of a span in viewport fractions, or null when it lies wholly outside the window. */
export function barPosition(span: { startMs: number; durationMs: number }, extent: Extent, view: ViewWindow): BarPosition | null {
  const total = extent.endMs - extent.startMs;
  const viewStartMs = extent.startMs + view.start * total;
  const viewMs = (view.end - view.start) * total;
  const from = (span.startMs - viewStartMs) / viewMs;
  const to = (span.startMs + span.durationMs - viewStartMs) / viewMs;
  if (to < 0 || from > 1) return null;
  const left = Math.max(0, from);
  const right = Math.min(1, to);
  return { left, width: Math.max(0, right - left), clippedStart: from < 0, clippedEnd: to > 1 };
}

function clamp(view: ViewWindow): ViewWindow {
  const width = Math.min(1, Math.max(minWidth, view.end - view.start));
  const start = Math.min(Math.max(0, view.start), 1 - width);
  return { start, end: start + width };
}

/** Zooms by `factor` (< 1 zooms in) keeping the point at `anchor` (0..1 of the viewport) in place. */
export function zoom(view: ViewWindow, factor: number, anchor = 0.5): ViewWindow {
  const width = view.end - view.start;
  const at = view.start + anchor * width;
  const next = Math.min(1, Math.max(minWidth, width * factor));
  return clamp({ start: at - anchor * next, end: at - anchor * next + next });
}

/** Moves the window by `delta` viewport widths (negative: earlier). */
export function pan(view: ViewWindow, delta: number): ViewWindow {
  const shift = delta * (view.end - view.start);
  return clamp({ start: view.start + shift, end: view.end + shift });
}

/** The window that shows one span with a little margin either side. */
export function focus(span: { startMs: number; durationMs: number }, extent: Extent): ViewWindow {
  const total = extent.endMs - extent.startMs;
  const margin = Math.max(span.durationMs * 0.1, total * minWidth);
  return clamp({
    start: (span.startMs - margin - extent.startMs) / total,
    end: (span.startMs + span.durationMs + margin - extent.startMs) / total,
  });
}

export type Tick = { position: number; offsetMs: number };

/** About `count` ticks at round offsets from the trace start (1, 2 or 5 × 10ⁿ ms apart). */
export function ticks(extent: Extent, view: ViewWindow, count = 5): Tick[] {
  const total = extent.endMs - extent.startMs;
  const fromMs = view.start * total;
  const toMs = view.end * total;
  const raw = (toMs - fromMs) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const result: Tick[] = [];
  for (let offset = Math.ceil(fromMs / step) * step; offset <= toMs + step * 1e-9; offset += step) {
    result.push({ position: (offset - fromMs) / (toMs - fromMs), offsetMs: offset });
  }
  return result;
}

/**
 * The window a drag across the viewport selects, from `a` to `b` (0..1 of the viewport, either order).
 * A drag narrower than half a percent is a click, not a selection: the view stays.
 */
export function selectWindow(view: ViewWindow, a: number, b: number): ViewWindow {
  const [left, right] = [Math.max(0, Math.min(a, b)), Math.min(1, Math.max(a, b))];
  if (right - left < 0.005) return view;
  const width = view.end - view.start;
  return clamp({ start: view.start + left * width, end: view.start + right * width });
}

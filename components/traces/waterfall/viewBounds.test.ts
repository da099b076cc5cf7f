import { describe, expect, it } from 'vitest';
import { barPosition, focus, fullView, pan, selectWindow, ticks, traceExtent, zoom } from './viewBounds';

const extent = { startMs: 1000, endMs: 1100 };

describe('traceExtent', () => {
  it('spans from the first start to the last end', () => {
    expect(traceExtent([{ startMs: 1010, durationMs: 90 }, { startMs: 1000, durationMs: 5 }])).toEqual(extent);
  });

  it('gives a trace of instants a width', () => {
    const { startMs, endMs } = traceExtent([{ startMs: 5, durationMs: 0 }]);
    expect(endMs).toBeGreaterThan(startMs);
  });
});

describe('barPosition', () => {
  it('places a span as fractions of the full trace', () => {
    expect(barPosition({ startMs: 1025, durationMs: 50 }, extent, fullView)).toEqual({
      left: 0.25,
      width: 0.5,
      clippedStart: false,
      clippedEnd: false,
    });
  });

  it('rescales to a zoom window and clips what sticks out', () => {
    const position = barPosition({ startMs: 1025, durationMs: 50 }, extent, { start: 0.5, end: 1 });
    expect(position).toEqual({ left: 0, width: 0.5, clippedStart: true, clippedEnd: false });
  });

  it('returns null for a span outside the window', () => {
    expect(barPosition({ startMs: 1000, durationMs: 10 }, extent, { start: 0.5, end: 1 })).toBeNull();
  });
});

describe('zoom and pan', () => {
  it('zooms in around the anchor', () => {
    expect(zoom(fullView, 0.5, 0.5)).toEqual({ start: 0.25, end: 0.75 });
    expect(zoom(fullView, 0.5, 0)).toEqual({ start: 0, end: 0.5 });
  });

  it('never zooms out past the whole trace', () => {
    expect(zoom({ start: 0.2, end: 0.6 }, 10)).toEqual(fullView);
  });

  it('pans by viewport widths and stops at the ends', () => {
    expect(pan({ start: 0.2, end: 0.4 }, 1)).toEqual({ start: 0.4, end: 0.6000000000000001 });
    expect(pan({ start: 0.2, end: 0.4 }, -5).start).toBe(0);
  });

  it('focuses a span with a margin', () => {
    const view = focus({ startMs: 1050, durationMs: 10 }, extent);
    expect(view.start).toBeCloseTo(0.49);
    expect(view.end).toBeCloseTo(0.61);
  });
});

describe('ticks', () => {
  it('falls on round offsets from the trace start', () => {
    expect(ticks(extent, fullView, 5).map((tick) => tick.offsetMs)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(ticks(extent, { start: 0.5, end: 1 }, 5)[0]).toEqual({ position: 0, offsetMs: 50 });
  });
});

describe('selectWindow', () => {
  it('zooms to the dragged part of the current view, whichever way the drag went', () => {
    expect(selectWindow({ start: 0.5, end: 1 }, 0.8, 0.2)).toEqual({ start: 0.6, end: 0.9 });
  });

  it('treats a tiny drag as a click and keeps the view', () => {
    const view = { start: 0, end: 1 };
    expect(selectWindow(view, 0.5, 0.501)).toBe(view);
  });
});

/**
 * Pure helpers for circuit-breaker state: the gauge's numbers and the transition records' words mapped
 * to one vocabulary, and change points folded into the segments a timeline draws.
 */
import type { BreakerState, StateSegment, Transition } from '@/lib/contract/breakers';

/** The gauge convention: 0 closed, 1 half-open, 2 open. */
export function stateFromGauge(value: number | null | undefined): BreakerState {
  if (value === 0) return 'closed';
  if (value === 1) return 'half-open';
  if (value === 2) return 'open';
  return 'unknown';
}

/** Transition records name states in words; libraries spell half-open three ways and shout some. */
export function stateFromWord(word: string | null | undefined): BreakerState {
  const normal = (word ?? '').trim().toLowerCase().replace(/[_ ]/g, '-');
  if (normal === 'closed' || normal === 'close') return 'closed';
  if (normal === 'half-open' || normal === 'halfopen') return 'half-open';
  if (normal === 'open' || normal === 'forced-open') return 'open';
  return 'unknown';
}

export type StateChange = { timeMs: number; state: BreakerState };

/**
 * Folds time-ordered observations into segments covering [from, to): the state before the first
 * observation is unknown (unless an observation precedes `from`), repeated states merge, and each
 * segment ends where the next state begins.
 */
export function toSegments(changes: readonly StateChange[], from: number, to: number): StateSegment[] {
  const sorted = [...changes].sort((a, b) => a.timeMs - b.timeMs);
  const segments: StateSegment[] = [];
  let current: StateSegment = { state: 'unknown', startMs: from, endMs: to };
  for (const change of sorted) {
    if (change.timeMs >= to) break;
    if (change.state === current.state) continue;
    const at = Math.max(change.timeMs, from);
    if (at > current.startMs) segments.push({ ...current, endMs: at });
    current = { state: change.state, startMs: at, endMs: to };
  }
  segments.push(current);
  return segments;
}

/** The transitions a list of segments implies, skipping the step out of "unknown" at the start. */
export function transitionsOf(segments: readonly StateSegment[]): Transition[] {
  const transitions: Transition[] = [];
  for (let i = 1; i < segments.length; i++) {
    const before = segments[i - 1] as StateSegment;
    const after = segments[i] as StateSegment;
    if (before.state === 'unknown') continue;
    transitions.push({ timeMs: after.startMs, from: before.state, to: after.state });
  }
  return transitions;
}

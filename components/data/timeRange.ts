/**
 * Time ranges as the URL holds them: a preset relative to now (`range=15m`) or a fixed custom range
 * (`from` and `to` in epoch milliseconds). Relative ranges are resolved at fetch time, so every
 * auto-refresh slides the window forward.
 */

export const rangePresets = ['15m', '1h', '6h', '24h'] as const;
export type RangePreset = (typeof rangePresets)[number];

export const refreshChoices = ['off', '5s', '10s', '30s', '1m'] as const;
export type RefreshChoice = (typeof refreshChoices)[number];

export type RangeSpec = { kind: 'preset'; preset: RangePreset } | { kind: 'custom'; from: number; to: number };

const presetMs: Record<RangePreset, number> = { '15m': 15 * 60_000, '1h': 3_600_000, '6h': 6 * 3_600_000, '24h': 24 * 3_600_000 };
const refreshMs: Record<RefreshChoice, number | false> = { off: false, '5s': 5_000, '10s': 10_000, '30s': 30_000, '1m': 60_000 };

export type ReadableParams = { get(name: string): string | null };

export function parseRange(params: ReadableParams, fallback: RangePreset = '1h'): RangeSpec {
  const from = Number(params.get('from'));
  const to = Number(params.get('to'));
  if (params.get('from') && params.get('to') && Number.isInteger(from) && Number.isInteger(to) && from < to) {
    return { kind: 'custom', from, to };
  }
  const preset = params.get('range');
  return { kind: 'preset', preset: rangePresets.includes(preset as RangePreset) ? (preset as RangePreset) : fallback };
}

export function resolveRange(spec: RangeSpec, now = Date.now()): { from: number; to: number } {
  if (spec.kind === 'custom') return { from: spec.from, to: spec.to };
  return { from: now - presetMs[spec.preset], to: now };
}

/** A stable text for query keys: presets by name (the window slides), custom ranges by their ends. */
export function rangeKey(spec: RangeSpec): string {
  return spec.kind === 'preset' ? spec.preset : `${spec.from}-${spec.to}`;
}

export function parseRefresh(params: ReadableParams, fallback: RefreshChoice): RefreshChoice {
  const value = params.get('refresh');
  return refreshChoices.includes(value as RefreshChoice) ? (value as RefreshChoice) : fallback;
}

/** Custom ranges are history: refreshing them would fetch the same answer again. */
export function refreshInterval(choice: RefreshChoice, spec: RangeSpec): number | false {
  return spec.kind === 'custom' ? false : refreshMs[choice];
}

'use client';

import { useState } from 'react';
import { rangePresets, refreshChoices, resolveRange, type RangePreset, type RefreshChoice } from '../data/timeRange';
import { useUpdateUrlParams } from '../data/useUrlParams';
import type { TimeRangeState } from '../data/useTimeRange';

const toLocalInput = (ms: number) => {
  const date = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return date.toISOString().slice(0, 16);
};

/** Preset ranges, a custom from/to, and the auto-refresh interval; all written to the URL. */
export function TimeRangeBar({ range, isFetching }: { range: TimeRangeState; isFetching?: boolean }) {
  const update = useUpdateUrlParams();
  const [custom, setCustom] = useState<{ from: string; to: string } | null>(null);
  const current = range.spec.kind === 'preset' ? range.spec.preset : 'custom';

  const openCustom = () => {
    const { from, to } = resolveRange(range.spec);
    setCustom({ from: toLocalInput(from), to: toLocalInput(to) });
  };
  const applyCustom = () => {
    if (!custom) return;
    const from = new Date(custom.from).getTime();
    const to = new Date(custom.to).getTime();
    if (Number.isFinite(from) && Number.isFinite(to) && from < to) {
      update({ from: String(from), to: String(to), range: null });
      setCustom(null);
    }
  };

  return (
    <div className="range-bar" aria-label="Time range">
      <div className="segmented" role="group" aria-label="Range">
        {rangePresets.map((preset: RangePreset) => (
          <button
            key={preset}
            type="button"
            className={current === preset ? 'active' : ''}
            aria-pressed={current === preset}
            onClick={() => update({ range: preset, from: null, to: null })}
          >
            Last {preset}
          </button>
        ))}
        <button type="button" className={current === 'custom' ? 'active' : ''} aria-pressed={current === 'custom'} onClick={openCustom}>
          Custom
        </button>
      </div>
      {custom && (
        <div className="custom-range">
          <label>
            From <input type="datetime-local" value={custom.from} onChange={(e) => setCustom({ ...custom, from: e.target.value })} />
          </label>
          <label>
            To <input type="datetime-local" value={custom.to} onChange={(e) => setCustom({ ...custom, to: e.target.value })} />
          </label>
          <button type="button" onClick={applyCustom} disabled={!(new Date(custom.from) < new Date(custom.to))}>
            Apply
          </button>
        </div>
      )}
      <label className="refresh">
        Auto-refresh
        <select
          value={range.refresh}
          disabled={range.spec.kind === 'custom'}
          onChange={(e) => update({ refresh: e.target.value as RefreshChoice })}
        >
          {refreshChoices.map((choice) => (
            <option key={choice} value={choice}>
              {choice}
            </option>
          ))}
        </select>
      </label>
      <span className={isFetching ? 'fetching on' : 'fetching'} aria-live="polite">
        {isFetching ? 'updating…' : ''}
      </span>
    </div>
  );
}

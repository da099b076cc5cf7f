'use client';

import { useState, type FormEvent } from 'react';
import type { TimeRangeState } from '../data/useTimeRange';
import { useServices } from '../services/useServices';
import type { LogFilters } from './logFilters';
import { AttributeAndTraceIdFields } from '../shell/AttributeAndTraceIdFields';
import { severityLevels } from '@/lib/contract/logs';

export function LogFiltersForm({ initial, range, onSearch }: { initial: LogFilters; range: TimeRangeState; onSearch(filters: LogFilters): void }) {
  const [draft, setDraft] = useState(initial);
  const services = useServices(range);
  const set = (change: Partial<LogFilters>) => setDraft((current) => ({ ...current, ...change }));
  const toggleSeverity = (level: string) =>
    set({ severity: draft.severity.includes(level) ? draft.severity.filter((l) => l !== level) : [...draft.severity, level] });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch(draft);
  };

  return (
    <form className="filters" onSubmit={submit} aria-label="Log filters">
      <label className="wide">
        Text
        <input name="q" value={draft.q} onChange={(e) => set({ q: e.target.value })} placeholder="words in the message" />
      </label>
      <label>
        Service
        <select name="service" value={draft.service} onChange={(e) => set({ service: e.target.value })}>
          <option value="">any</option>
          {(services.data?.services ?? []).map((s) => (
            <option key={s.service}>{s.service}</option>
          ))}
          {draft.service && !services.data?.services.some((s) => s.service === draft.service) && <option>{draft.service}</option>}
        </select>
      </label>
      <fieldset className="severity-picker wide">
        <legend>Severity</legend>
        {severityLevels
          .filter((level) => level !== 'unset')
          .map((level) => (
            <label key={level}>
              <input type="checkbox" checked={draft.severity.includes(level)} onChange={() => toggleSeverity(level)} />
              {level}
            </label>
          ))}
      </fieldset>
      <AttributeAndTraceIdFields draft={draft} set={set} />
      <button type="submit" className="primary">
        Search logs
      </button>
    </form>
  );
}

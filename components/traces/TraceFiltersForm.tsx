'use client';

import { useState, type FormEvent } from 'react';
import type { TimeRangeState } from '../data/useTimeRange';
import { useOperations } from '../services/useServiceDetail';
import { useServices } from '../services/useServices';
import type { TraceFilters } from './traceFilters';
import { AttributeAndTraceIdFields } from '../shell/AttributeAndTraceIdFields';

export function TraceFiltersForm({ initial, range, onSearch }: { initial: TraceFilters; range: TimeRangeState; onSearch(filters: TraceFilters): void }) {
  const [draft, setDraft] = useState(initial);
  const services = useServices(range);
  const operations = useOperations(draft.service, range);
  const set = (change: Partial<TraceFilters>) => setDraft((current) => ({ ...current, ...change }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch(draft);
  };

  return (
    <form className="filters" onSubmit={submit} aria-label="Trace filters">
      <label>
        Service
        <select name="service" value={draft.service} onChange={(e) => set({ service: e.target.value, operation: '' })}>
          <option value="">any</option>
          {(services.data?.services ?? []).map((s) => (
            <option key={s.service}>{s.service}</option>
          ))}
          {draft.service && !services.data?.services.some((s) => s.service === draft.service) && <option>{draft.service}</option>}
        </select>
      </label>
      <label>
        Operation
        <select name="operation" value={draft.operation} disabled={!draft.service} onChange={(e) => set({ operation: e.target.value })}>
          <option value="">any</option>
          {draft.service && (operations.data?.operations ?? []).map((o) => <option key={`${o.operation}/${o.kind}`}>{o.operation}</option>)}
          {draft.operation && !operations.data?.operations.some((o) => o.operation === draft.operation) && <option>{draft.operation}</option>}
        </select>
      </label>
      <label>
        Min duration (ms)
        <input name="minDurationMs" inputMode="decimal" value={draft.minDurationMs} onChange={(e) => set({ minDurationMs: e.target.value })} />
      </label>
      <label>
        Max duration (ms)
        <input name="maxDurationMs" inputMode="decimal" value={draft.maxDurationMs} onChange={(e) => set({ maxDurationMs: e.target.value })} />
      </label>
      <label>
        Status
        <select name="status" value={draft.status} onChange={(e) => set({ status: e.target.value })}>
          <option value="">any</option>
          <option value="error">error</option>
          <option value="ok">ok</option>
        </select>
      </label>
      <AttributeAndTraceIdFields draft={draft} set={set} />
      <button type="submit" className="primary">
        Find traces
      </button>
    </form>
  );
}

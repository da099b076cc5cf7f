'use client';

import { useState, type FormEvent } from 'react';
import { ApiError } from '../data/fetchJson';
import { useTimeRange } from '../data/useTimeRange';
import { useOperations } from '../services/useServiceDetail';
import { useServices } from '../services/useServices';
import { FormField } from './FormField';
import { entryFromDraft, formatThreshold, type SloDraft, type WindowUnit } from './sloDraft';
import { useSaveSlo } from './useSlos';
import { durationBoundariesMs } from '@/lib/contract/slo';

const formFields = ['id', 'name', 'service', 'operation', 'objective', 'thresholdMs', 'target', 'window'];

/**
 * Adds an SLO (`replacing` null) or edits the SLO `replacing`, whose id then can't change. Services and
 * their operations are those seen over the last 24 hours, plus whatever the SLO already names.
 */
export function SloForm({ initial, replacing, onDone }: { initial: SloDraft; replacing: string | null; onDone(): void }) {
  const [draft, setDraft] = useState(initial);
  const range = useTimeRange({ range: '24h', refresh: 'off' });
  const services = useServices(range);
  const operations = useOperations(draft.service, range);
  const save = useSaveSlo();
  const set = (change: Partial<SloDraft>) => setDraft((current) => ({ ...current, ...change }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ replacing, entry: entryFromDraft(draft) }, { onSuccess: onDone });
  };
  const refused = save.error instanceof ApiError ? save.error.fields : {};
  const unplaced = save.isError && !formFields.some((field) => refused[field]);
  const serviceNames = (services.data?.services ?? []).map((s) => s.service);
  if (draft.service && !serviceNames.includes(draft.service)) serviceNames.push(draft.service);

  return (
    <form className="panel slo-form" onSubmit={submit} noValidate aria-label={replacing ? `Edit SLO ${replacing}` : 'New SLO'}>
      <h3>{replacing ? `Edit ${replacing}` : 'New SLO'}</h3>
      <div className="slo-form-grid">
        <FormField field="id" label="ID" error={refused.id} hint={replacing ? 'the alert history is kept by id' : 'lowercase letters, digits and dashes'}>
          {(props) => <input {...props} value={draft.id} readOnly={replacing !== null} onChange={(e) => set({ id: e.target.value })} />}
        </FormField>
        <FormField field="name" label="Name" error={refused.name} hint="optional; the id when blank">
          {(props) => <input {...props} value={draft.name} onChange={(e) => set({ name: e.target.value })} />}
        </FormField>
        <FormField field="service" label="Service" error={refused.service}>
          {(props) => (
            <select {...props} value={draft.service} onChange={(e) => set({ service: e.target.value, operation: '' })}>
              <option value="">{services.isPending ? 'loading services…' : 'choose a service'}</option>
              {serviceNames.map((name) => (
                <option key={name}>{name}</option>
              ))}
            </select>
          )}
        </FormField>
        <FormField field="operation" label="Operation" error={refused.operation} hint="optional; all of the service’s requests when blank">
          {(props) => (
            <>
              <input {...props} list="slo-operations" value={draft.operation} onChange={(e) => set({ operation: e.target.value })} placeholder="span name" />
              <datalist id="slo-operations">
                {(operations.data?.operations ?? []).map((o) => (
                  <option key={`${o.kind} ${o.operation}`} value={o.operation} />
                ))}
              </datalist>
            </>
          )}
        </FormField>
        <FormField field="objective" label="Objective" error={refused.objective}>
          {(props) => (
            <select {...props} value={draft.objective} onChange={(e) => set({ objective: e.target.value as SloDraft['objective'] })}>
              <option value="availability">availability (no errors)</option>
              <option value="latency">latency (within a threshold)</option>
            </select>
          )}
        </FormField>
        {draft.objective === 'latency' && (
          <FormField field="thresholdMs" label="Latency threshold" error={refused.thresholdMs} hint="a bucket boundary of the per-minute counts">
            {(props) => (
              <select {...props} value={draft.thresholdMs} onChange={(e) => set({ thresholdMs: e.target.value })}>
                <option value="">choose a threshold</option>
                {durationBoundariesMs.map((ms) => (
                  <option key={ms} value={ms}>
                    {formatThreshold(ms)}
                  </option>
                ))}
              </select>
            )}
          </FormField>
        )}
        <FormField field="target" label="Target (%)" error={refused.target} hint="share of good requests, e.g. 99.9">
          {(props) => <input {...props} type="number" step="any" inputMode="decimal" value={draft.target} onChange={(e) => set({ target: e.target.value })} />}
        </FormField>
        <FormField field="window" label="Window" error={refused.window} hint="1 hour to 31 days">
          {(props) => (
            <span className="slo-window">
              <input {...props} type="number" min={1} step={1} value={draft.windowCount} onChange={(e) => set({ windowCount: e.target.value })} />
              <select aria-label="Window unit" value={draft.windowUnit} onChange={(e) => set({ windowUnit: e.target.value as WindowUnit })}>
                <option value="d">days</option>
                <option value="h">hours</option>
              </select>
            </span>
          )}
        </FormField>
      </div>
      <div className="slo-form-tools">
        <button type="submit" className="primary" disabled={save.isPending}>
          {replacing ? 'Save SLO' : 'Add SLO'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        {unplaced && (
          <span className="bad" role="alert">
            Not saved: {save.error.message}
          </span>
        )}
      </div>
    </form>
  );
}

'use client';

import { useState, type FormEvent } from 'react';
import { ApiError } from '../data/fetchJson';
import { ErrorState } from '../shell/PageState';
import { FormField } from './FormField';
import { useSaveWebhooks, useWebhooks } from './useSlos';
import { draftFromWebhook, webhooksFromDrafts, type WebhookDraft } from './webhookDraft';

/** The receivers every alert's firing and resolved notifications are POSTed to. */
export function WebhooksForm() {
  const current = useWebhooks();
  const save = useSaveWebhooks();
  const [drafts, setDrafts] = useState<WebhookDraft[] | null>(null);
  const [local, setLocal] = useState<{ field: string; error: string } | null>(null);
  if (!current.data) return current.isError ? <ErrorState error={current.error} /> : null;
  const shown = drafts ?? current.data.webhooks.map(draftFromWebhook);
  const edit = (next: WebhookDraft[]) => {
    setDrafts(next);
    setLocal(null);
  };
  const change = (index: number, part: Partial<WebhookDraft>) => edit(shown.map((draft, i) => (i === index ? { ...draft, ...part } : draft)));
  const fromApi = save.error instanceof ApiError ? save.error.fields : {};
  const refused = local ? { [local.field]: local.error } : fromApi;
  const unplaced = save.isError && !Object.keys(fromApi).some((field) => field.startsWith('webhooks['));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = webhooksFromDrafts(shown);
    if ('field' in parsed) return setLocal(parsed);
    save.mutate(parsed.webhooks, { onSuccess: () => setDrafts(null) });
  };

  return (
    <details className="panel slo-webhooks">
      <summary>Alert webhooks ({current.data.webhooks.length})</summary>
      <form onSubmit={submit} noValidate aria-label="Alert webhooks">
        <p className="hint">Each alert’s firing and resolved notifications are POSTed as JSON to every webhook (see docs/slo.md).</p>
        {shown.map((draft, i) => (
          <div className="slo-webhook" key={i}>
            <FormField field={`webhooks[${i}].url`} label={`Webhook ${i + 1} URL`} error={refused[`webhooks[${i}].url`]}>
              {(props) => <input {...props} type="url" value={draft.url} onChange={(e) => change(i, { url: e.target.value })} placeholder="https://hooks.example/faultline" />}
            </FormField>
            <FormField field={`webhooks[${i}].headers`} label="Headers" error={refused[`webhooks[${i}].headers`]} hint="optional, one Name: value a line">
              {(props) => <textarea {...props} rows={Math.max(1, draft.headers.split('\n').length)} value={draft.headers} onChange={(e) => change(i, { headers: e.target.value })} spellCheck={false} />}
            </FormField>
            <button type="button" onClick={() => edit(shown.filter((_, j) => j !== i))}>
              Remove
            </button>
          </div>
        ))}
        <div className="slo-form-tools">
          <button type="button" onClick={() => edit([...shown, { url: '', headers: '' }])}>
            Add webhook
          </button>
          <button type="submit" className="primary" disabled={save.isPending || drafts === null}>
            Save webhooks
          </button>
          {unplaced && (
            <span className="bad" role="alert">
              Not saved: {save.error?.message}
            </span>
          )}
        </div>
      </form>
    </details>
  );
}

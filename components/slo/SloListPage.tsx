'use client';

import { useState } from 'react';
import { ErrorState, Loading } from '../shell/PageState';
import { SloFileEditor } from './SloFileEditor';
import { SloForm } from './SloForm';
import { SloTable } from './SloTable';
import { draftFromSlo, newSloDraft, type SloDraft } from './sloDraft';
import { useSlos } from './useSlos';
import { WebhooksForm } from './WebhooksForm';
import './slo.css';

/** What the form is open on: a new SLO, or the SLO `replacing` with its current definition. */
type Editing = { replacing: string | null; draft: SloDraft } | null;

export function SloListPage() {
  const slos = useSlos();
  const [editing, setEditing] = useState<Editing>(null);
  if (slos.isPending) return <Loading what="SLOs" />;
  if (slos.isError) return <ErrorState error={slos.error} />;
  const { file, loadError, evaluationError, slos: list } = slos.data;
  return (
    <section>
      <header className="page-header">
        <h1>SLOs</h1>
        <span className="muted">
          From <code>{file}</code> · {slos.data.webhooks} webhook{slos.data.webhooks === 1 ? '' : 's'} · evaluated every {slos.data.intervalMs / 1000} s
        </span>
        <button type="button" className="primary" onClick={() => setEditing({ replacing: null, draft: newSloDraft })}>
          New SLO
        </button>
      </header>
      {loadError && (
        <div className="state error" role="alert" data-testid="slo-load-error">
          <strong>The SLO file was refused; the previous definitions stay in force</strong>
          <p>{loadError}</p>
        </div>
      )}
      {evaluationError && <p className="bad">Last evaluation failed: {evaluationError}</p>}
      {editing && <SloForm key={editing.replacing ?? 'new'} initial={editing.draft} replacing={editing.replacing} onDone={() => setEditing(null)} />}
      {list.length === 0 ? (
        <div className="state empty">
          <strong>No SLOs defined</strong>
          <p>
            Add one with <em>New SLO</em>, or define them in <code>{file}</code> (see docs/slo.md): the file is reloaded when it changes.
          </p>
        </div>
      ) : (
        <SloTable slos={list} onEdit={(slo) => setEditing({ replacing: slo.id, draft: draftFromSlo(slo) })} />
      )}
      <WebhooksForm />
      <SloFileEditor />
    </section>
  );
}

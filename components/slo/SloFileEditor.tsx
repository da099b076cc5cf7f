'use client';

import { useState } from 'react';
import { ApiError } from '../data/fetchJson';
import { ErrorState } from '../shell/PageState';
import { useSaveSloFile, useSloFile } from './useSlos';

/**
 * The SLO file as text; saved only if valid, else the refusal names the field. A draft remembers the
 * version it started from, so it can't silently undo a change saved meanwhile (by the form, say).
 */
export function SloFileEditor() {
  const file = useSloFile();
  const save = useSaveSloFile();
  const [draft, setDraft] = useState<{ text: string; version: string } | null>(null);
  if (!file.data) return file.isError ? <ErrorState error={file.error} /> : null;
  const text = draft?.text ?? file.data.text;
  const version = draft?.version ?? file.data.version;
  const conflict = save.error instanceof ApiError && save.error.status === 409;
  const discard = () => {
    setDraft(null);
    save.reset();
    void file.refetch();
  };
  return (
    <details className="panel slo-editor">
      <summary>Advanced: edit {file.data.file} as YAML</summary>
      <textarea
        aria-label="SLO definitions (YAML)"
        value={text}
        rows={Math.min(40, Math.max(10, text.split('\n').length + 1))}
        onChange={(e) => setDraft({ text: e.target.value, version })}
        spellCheck={false}
      />
      <div className="slo-editor-tools">
        <button type="button" className="primary" disabled={save.isPending || draft === null} onClick={() => save.mutate({ text, version }, { onSuccess: () => setDraft(null) })}>
          Save
        </button>
        {conflict && (
          <button type="button" onClick={discard}>
            Discard my edit and reload the file
          </button>
        )}
        {save.isSuccess && draft === null && <span className="muted" data-testid="slo-saved">Saved {save.data.slos} SLOs; they apply within a few seconds.</span>}
      </div>
      {save.isError && <ErrorState error={save.error} />}
    </details>
  );
}

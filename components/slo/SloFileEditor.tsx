'use client';

import { useState } from 'react';
import { ErrorState } from '../shell/PageState';
import { useSaveSloFile, useSloFile } from './useSlos';

/** The SLO file as text; saved only if valid, else the refusal names the field. */
export function SloFileEditor() {
  const file = useSloFile();
  const save = useSaveSloFile();
  const [draft, setDraft] = useState<string | null>(null);
  if (!file.data) return file.isError ? <ErrorState error={file.error} /> : null;
  const text = draft ?? file.data.text;
  return (
    <details className="panel slo-editor">
      <summary>Advanced: edit {file.data.file} as YAML</summary>
      <textarea aria-label="SLO definitions (YAML)" value={text} rows={Math.min(40, Math.max(10, text.split('\n').length + 1))} onChange={(e) => setDraft(e.target.value)} spellCheck={false} />
      <div className="slo-editor-tools">
        <button type="button" className="primary" disabled={save.isPending || draft === null} onClick={() => save.mutate(text, { onSuccess: () => setDraft(null) })}>
          Save
        </button>
        {save.isSuccess && draft === null && <span className="muted" data-testid="slo-saved">Saved {save.data.slos} SLOs; they apply within a few seconds.</span>}
      </div>
      {save.isError && <ErrorState error={save.error} />}
    </details>
  );
}

'use client';

import { useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useUpdateUrlParams } from '../../data/useUrlParams';
import { ErrorState, Loading } from '../../shell/PageState';
import { TracesHeading } from '../TracesHeading';
import { useTrace } from '../useTraces';
import { TraceDiffTable } from './TraceDiffTable';

/** `/traces/compare?a=&b=`: two trace ids, then their spans matched and compared. */
export function CompareTracesPage() {
  const params = useSearchParams();
  const a = params.get('a') ?? '';
  const b = params.get('b') ?? '';
  return (
    <section>
      <header className="page-header">
        <TracesHeading>compare</TracesHeading>
      </header>
      <TracePickers key={`${a}/${b}`} a={a} b={b} />
      {a && b ? <Comparison a={a} b={b} /> : <p className="muted">Pick two traces: a trace id in each field, or tick two traces in the trace search.</p>}
    </section>
  );
}

function TracePickers({ a, b }: { a: string; b: string }) {
  const [draft, setDraft] = useState({ a, b });
  const update = useUpdateUrlParams();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update({ a: draft.a.trim(), b: draft.b.trim() });
  };
  return (
    <form className="filters" onSubmit={submit}>
      <label className="wide">
        Trace A (the baseline)
        <input name="a" className="mono" value={draft.a} onChange={(e) => setDraft({ ...draft, a: e.target.value })} placeholder="32 hex characters" />
      </label>
      <label className="wide">
        Trace B
        <input name="b" className="mono" value={draft.b} onChange={(e) => setDraft({ ...draft, b: e.target.value })} placeholder="32 hex characters" />
      </label>
      <button type="submit">Compare</button>
    </form>
  );
}

function Comparison({ a, b }: { a: string; b: string }) {
  const traceA = useTrace(a);
  const traceB = useTrace(b);
  if (traceA.isError) return <ErrorState error={traceA.error} />;
  if (traceB.isError) return <ErrorState error={traceB.error} />;
  if (traceA.isPending || traceB.isPending) return <Loading what="both traces" />;
  return <TraceDiffTable ids={{ a, b }} a={traceA.data.spans} b={traceB.data.spans} />;
}

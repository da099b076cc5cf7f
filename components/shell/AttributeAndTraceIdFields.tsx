/** The attribute and trace-id fields that the trace search and the logs explorer share. */
type Fields = { attr: string[]; traceId: string };

export function AttributeAndTraceIdFields({ draft, set }: { draft: Fields; set: (change: Partial<Fields>) => void }) {
  return (
    <>
      <label className="wide">
        Attributes (key=value, one per line)
        <textarea name="attr" rows={Math.max(1, draft.attr.length)} value={draft.attr.join('\n')} onChange={(e) => set({ attr: e.target.value.split('\n') })} />
      </label>
      <label className="wide">
        Trace id
        <input name="traceId" value={draft.traceId} onChange={(e) => set({ traceId: e.target.value })} placeholder="32 hex characters" />
      </label>
    </>
  );
}

'use client';

import Link from 'next/link';
import { useMemo } from 'react';
import { formatMs } from '../../charts/format';
import { serviceColor } from '../waterfall/serviceColor';
import { diffTraces, type DiffRow, type Side } from './traceDiff';
import type { WaterfallSpan } from '@/lib/contract/traces';

const indentPx = 14;

function signedMs(deltaMs: number): string {
  return `${deltaMs > 0 ? '+' : deltaMs < 0 ? '−' : '±'}${formatMs(Math.abs(deltaMs))}`;
}

function presence(row: DiffRow): 'both' | 'only-a' | 'only-b' {
  return row.a && row.b ? 'both' : row.a ? 'only-a' : 'only-b';
}

function Duration({ row, side }: { row: DiffRow; side: Side }) {
  const span = row[side];
  if (!span) return <td className="num muted">—</td>;
  return (
    <td className="num">
      {formatMs(span.durationMs)}
      {span.statusCode === 'Error' && <span className="error-mark" aria-label="error">!</span>}
      {row.notes[side].map((note) => (
        <span key={note} className="badge diff-note">
          {note}
        </span>
      ))}
    </td>
  );
}

/** The merged span tree of two traces: durations side by side, the delta, and what only one of them did. */
export function TraceDiffTable({ ids, a, b }: { ids: Record<Side, string>; a: WaterfallSpan[]; b: WaterfallSpan[] }) {
  const diff = useMemo(() => diffTraces(a, b), [a, b]);
  return (
    <>
      <div className="trace-summary" data-testid="compare-summary">
        <span>
          A <Link href={`/traces/${ids.a}`} className="mono">{ids.a}</Link> {formatMs(diff.durationMs.a)}
        </span>
        <span>
          B <Link href={`/traces/${ids.b}`} className="mono">{ids.b}</Link> {formatMs(diff.durationMs.b)} ({signedMs(diff.durationMs.b - diff.durationMs.a)})
        </span>
        <span data-testid="compare-counts">
          {diff.matched} matched, {diff.onlyIn.a} only in A, {diff.onlyIn.b} only in B
        </span>
      </div>
      <table className="table compare-table" data-testid="compare-table">
        <thead>
          <tr>
            <th>Service: operation</th>
            <th className="num">A</th>
            <th className="num">B</th>
            <th className="num">B − A</th>
          </tr>
        </thead>
        <tbody>
          {diff.rows.map((row) => (
            <tr key={row.key} className={presence(row)} data-testid="compare-row" data-presence={presence(row)}>
              <td style={{ paddingLeft: 8 + row.depth * indentPx }}>
                <span className="service-dot" style={{ background: serviceColor(row.service) }} /> <span className="service-name">{row.service}</span>{' '}
                {row.name}
                {presence(row) !== 'both' && <span className="badge presence">{presence(row) === 'only-a' ? 'missing in B' : 'extra in B'}</span>}
              </td>
              <Duration row={row} side="a" />
              <Duration row={row} side="b" />
              <td className={`num${row.deltaMs && row.deltaMs > 0 ? ' slower' : row.deltaMs && row.deltaMs < 0 ? ' faster' : ''}`}>
                {row.deltaMs === null ? '' : signedMs(row.deltaMs)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

'use client';

import Link from 'next/link';
import { useState } from 'react';
import { formatPercent } from '../charts/format';
import { useCarriedRange } from '../shell/useCarriedRange';
import { AlertBadge } from './AlertBadge';
import { describeObjective, formatSli } from './sloFormat';
import { useDeleteSlo } from './useSlos';
import type { SloSummary } from '@/lib/contract/slo';

/** Every SLO with its figures now, and buttons to edit or (after a confirmation) delete it. */
export function SloTable({ slos, onEdit }: { slos: SloSummary[]; onEdit(slo: SloSummary['slo']): void }) {
  const carried = useCarriedRange();
  const remove = useDeleteSlo();
  const [confirming, setConfirming] = useState<string | null>(null);
  return (
    <>
      {remove.isError && (
        <p className="bad" role="alert">
          Not deleted: {remove.error.message}
        </p>
      )}
      <table className="table" data-testid="slo-table">
        <thead>
          <tr>
            <th>SLO</th>
            <th>Objective</th>
            <th className="num">SLI</th>
            <th className="num">Budget left</th>
            <th className="num">Burn 1h / 5m</th>
            <th>Alert</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {slos.map((summary) => (
            <tr key={summary.slo.id} data-testid="slo-row" data-slo={summary.slo.id} className={summary.alert?.state === 'firing' ? 'has-error' : ''}>
              <td>
                <Link href={`/slos/${summary.slo.id}${carried}`}>{summary.slo.name}</Link>
                <div className="muted">{summary.slo.service}</div>
              </td>
              <td>{describeObjective(summary.slo)}</td>
              <td className="num" data-testid="slo-row-sli">
                {formatSli(summary.sli)}
              </td>
              <td className={`num${summary.budgetRemaining < 0 ? ' bad' : ''}`}>{formatPercent(Math.max(0, summary.budgetRemaining))}</td>
              <td className="num">
                {summary.rules[0] ? `${summary.rules[0].longBurnRate.toFixed(1)}× / ${summary.rules[0].shortBurnRate.toFixed(1)}×` : '—'}
              </td>
              <td>
                <AlertBadge alert={summary.alert} />
                {summary.alert?.state === 'firing' && summary.alert.exampleTraceIds[0] && (
                  <Link href={`/traces/${summary.alert.exampleTraceIds[0]}`} className="example-trace mono" data-testid="example-trace">
                    {' '}
                    a failing trace
                  </Link>
                )}
              </td>
              <td className="slo-actions">
                {confirming === summary.slo.id ? (
                  <>
                    <button type="button" className="danger" disabled={remove.isPending} onClick={() => remove.mutate(summary.slo.id, { onSuccess: () => setConfirming(null) })}>
                      Delete {summary.slo.id}
                    </button>
                    <button type="button" onClick={() => setConfirming(null)}>
                      Keep
                    </button>
                  </>
                ) : (
                  <>
                    <button type="button" onClick={() => onEdit(summary.slo)}>
                      Edit
                    </button>
                    <button type="button" onClick={() => setConfirming(summary.slo.id)}>
                      Delete
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

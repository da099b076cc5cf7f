'use client';

import Link from 'next/link';
import { formatPercent } from '../charts/format';
import { ErrorState, Loading } from '../shell/PageState';
import { useCarriedRange } from '../shell/useCarriedRange';
import { AlertBadge } from './AlertBadge';
import { SloFileEditor } from './SloFileEditor';
import { describeObjective, formatSli } from './sloFormat';
import { useSlos } from './useSlos';
import './slo.css';

export function SloListPage() {
  const slos = useSlos();
  const carried = useCarriedRange();
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
      </header>
      {loadError && (
        <div className="state error" role="alert" data-testid="slo-load-error">
          <strong>The SLO file was refused; the previous definitions stay in force</strong>
          <p>{loadError}</p>
        </div>
      )}
      {evaluationError && <p className="bad">Last evaluation failed: {evaluationError}</p>}
      <SloFileEditor />
      {list.length === 0 ? (
        <div className="state empty">
          <strong>No SLOs defined</strong>
          <p>
            Define availability or latency SLOs in <code>{file}</code>; see docs/slo.md. The file is reloaded when it changes.
          </p>
        </div>
      ) : (
        <table className="table" data-testid="slo-table">
          <thead>
            <tr>
              <th>SLO</th>
              <th>Objective</th>
              <th className="num">SLI</th>
              <th className="num">Budget left</th>
              <th className="num">Burn 1h / 5m</th>
              <th>Alert</th>
            </tr>
          </thead>
          <tbody>
            {list.map((summary) => (
              <tr key={summary.slo.id} data-testid="slo-row" data-slo={summary.slo.id} className={summary.alert?.state === 'firing' ? 'has-error' : ''}>
                <td>
                  <Link href={`/slos/${summary.slo.id}${carried}`}>{summary.slo.name}</Link>
                  <div className="muted">{summary.slo.service}</div>
                </td>
                <td>{describeObjective(summary.slo)}</td>
                <td className="num">{formatSli(summary.sli)}</td>
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
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

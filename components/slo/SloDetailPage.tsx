'use client';

import Link from 'next/link';
import { useState } from 'react';
import { formatPercent } from '../charts/format';
import { useAnnotations } from '../charts/useAnnotations';
import { useTimeRange } from '../data/useTimeRange';
import { ErrorState, Loading } from '../shell/PageState';
import { TimeRangeBar } from '../shell/TimeRangeBar';
import { AlertBadge } from './AlertBadge';
import { AlertHistory } from './AlertHistory';
import { BurnRateChart } from './BurnRateChart';
import { SloForm } from './SloForm';
import { draftFromSlo } from './sloDraft';
import { describeObjective, formatSli } from './sloFormat';
import { useSloDetail } from './useSlos';
import './slo.css';

export function SloDetailPage({ id }: { id: string }) {
  const range = useTimeRange({ range: '6h' });
  const detail = useSloDetail(id, range);
  const annotations = useAnnotations(range);
  const [editing, setEditing] = useState(false);
  if (detail.isPending) return <Loading what="the SLO" />;
  if (detail.isError) return <ErrorState error={detail.error} />;
  const { slo, rules, alert } = detail.data;
  return (
    <section>
      <header className="page-header">
        <h1>
          <Link href="/slos" className="muted">
            SLOs
          </Link>{' '}
          / {slo.name} <AlertBadge alert={alert} />
        </h1>
        <TimeRangeBar range={range} isFetching={detail.isFetching} />
      </header>
      <p className="hint">
        {slo.service}: {describeObjective(slo)}{' '}
        {!editing && (
          <button type="button" onClick={() => setEditing(true)}>
            Edit this SLO
          </button>
        )}
      </p>
      {editing && <SloForm initial={draftFromSlo(slo)} replacing={slo.id} onDone={() => setEditing(false)} />}
      <dl className="stat-strip">
        <div>
          <dt>SLI over the window</dt>
          <dd data-testid="slo-sli">{formatSli(detail.data.sli)}</dd>
        </div>
        <div>
          <dt>Error budget left</dt>
          <dd className={detail.data.budgetRemaining < 0 ? 'bad' : ''}>{formatPercent(Math.max(0, detail.data.budgetRemaining))}</dd>
        </div>
        <div>
          <dt>Requests / bad</dt>
          <dd>
            {detail.data.total} / {detail.data.bad}
          </dd>
        </div>
      </dl>
      <div className="panel">
        <h3>Burn rate over time (1× spends the budget exactly over the window)</h3>
        <BurnRateChart series={detail.data.series} rules={rules} stepSeconds={detail.data.stepSeconds} annotations={annotations} />
      </div>
      <div className="panel">
        <h3>Alert rules now</h3>
        <table className="table">
          <thead>
            <tr>
              <th>Rule</th>
              <th className="num">Long window</th>
              <th className="num">Short window</th>
              <th>Holds</th>
            </tr>
          </thead>
          <tbody>
            {rules.map((rule) => (
              <tr key={rule.name} className={rule.holds ? 'has-error' : ''}>
                <td>
                  {rule.severity} at {rule.burnRate}×
                </td>
                <td className="num">
                  {rule.longBurnRate.toFixed(2)}× over {rule.longMs / 3_600_000} h
                </td>
                <td className="num">
                  {rule.shortBurnRate.toFixed(2)}× over {rule.shortMs / 60_000} min
                </td>
                <td>{rule.holds ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="panel">
        <h3>Alert history</h3>
        <AlertHistory history={detail.data.history} />
      </div>
    </section>
  );
}

'use client';

import { formatMs, formatPercent, formatRate } from '../charts/format';
import type { ServiceSummary } from '@/lib/contract/services';

/** The service's row of the overview, as headline figures for its page. */
export function ServiceStats({ summary }: { summary: ServiceSummary }) {
  const figures = [
    ['Requests', formatRate(summary.requestRate)],
    ['Error rate', formatPercent(summary.errorRate)],
    ['p50', formatMs(summary.p50Ms)],
    ['p95', formatMs(summary.p95Ms)],
    ['p99', formatMs(summary.p99Ms)],
  ];
  return (
    <dl className="stat-strip" data-testid="service-stats">
      {figures.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd className={label === 'Error rate' && summary.errorRate > 0.05 ? 'bad' : ''}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

'use client';

import Link from 'next/link';
import { formatCount, formatMs, formatPercent, formatRate } from '../charts/format';
import type { OperationSummary } from '@/lib/contract/services';

export function OperationsTable({ service, operations, linkSuffix }: { service: string; operations: OperationSummary[]; linkSuffix: string }) {
  const traceLink = (operation: string) => {
    const params = new URLSearchParams(linkSuffix.slice(1));
    params.set('service', service);
    params.set('operation', operation);
    return `/traces?${params.toString()}`;
  };
  return (
    <table className="table" data-testid="operations-table">
      <thead>
        <tr>
          <th>Operation</th>
          <th>Kind</th>
          <th className="num">Calls</th>
          <th className="num">Rate</th>
          <th className="num">Error rate</th>
          <th className="num">p50</th>
          <th className="num">p95</th>
          <th className="num">p99</th>
        </tr>
      </thead>
      <tbody>
        {operations.map((operation) => (
          <tr key={`${operation.operation}/${operation.kind}`}>
            <td>
              <Link href={traceLink(operation.operation)}>{operation.operation}</Link>
            </td>
            <td>{operation.kind}</td>
            <td className="num">{formatCount(operation.calls)}</td>
            <td className="num">{formatRate(operation.callRate)}</td>
            <td className={operation.errorRate > 0.05 ? 'num bad' : 'num'}>{formatPercent(operation.errorRate)}</td>
            <td className="num">{formatMs(operation.p50Ms)}</td>
            <td className="num">{formatMs(operation.p95Ms)}</td>
            <td className="num">{formatMs(operation.p99Ms)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

'use client';

import Link from 'next/link';
import { formatCount, formatMs, formatPercent, formatRate } from '../charts/format';
import type { ServiceSummary } from '@/lib/contract/services';

export function ServicesTable({ services, linkSuffix }: { services: ServiceSummary[]; linkSuffix: string }) {
  return (
    <table className="table" data-testid="services-table">
      <thead>
        <tr>
          <th>Service</th>
          <th className="num">Requests</th>
          <th className="num">Rate</th>
          <th className="num">Error rate</th>
          <th className="num">p50</th>
          <th className="num">p95</th>
          <th className="num">p99</th>
        </tr>
      </thead>
      <tbody>
        {services.map((service) => (
          <tr key={service.service} data-testid="service-row" data-service={service.service}>
            <td>
              <Link href={`/services/${encodeURIComponent(service.service)}${linkSuffix}`}>{service.service}</Link>
            </td>
            <td className="num">{formatCount(service.requests)}</td>
            <td className="num">{formatRate(service.requestRate)}</td>
            <td className={service.errorRate > 0.05 ? 'num bad' : 'num'}>{formatPercent(service.errorRate)}</td>
            <td className="num" data-testid="p50">{formatMs(service.p50Ms)}</td>
            <td className="num" data-testid="p95">{formatMs(service.p95Ms)}</td>
            <td className="num" data-testid="p99">{formatMs(service.p99Ms)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

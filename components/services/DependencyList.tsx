'use client';

import Link from 'next/link';
import { formatCount, formatPercent } from '../charts/format';
import type { Dependency } from '@/lib/contract/services';

export function DependencyList({ title, dependencies, linkSuffix }: { title: string; dependencies: Dependency[]; linkSuffix: string }) {
  return (
    <div className="panel">
      <h3>{title}</h3>
      {dependencies.length === 0 ? (
        <p className="muted">None in this range.</p>
      ) : (
        <ul className="deps">
          {dependencies.map((dependency) => (
            <li key={dependency.service}>
              {dependency.external ? (
                <span title="Not instrumented: named by this service's client spans">{dependency.service} (external)</span>
              ) : (
                <Link href={`/services/${encodeURIComponent(dependency.service)}${linkSuffix}`}>{dependency.service}</Link>
              )}
              <span className="muted">
                {formatCount(dependency.calls)} calls · {formatPercent(dependency.errorRate)} errors
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

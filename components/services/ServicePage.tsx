'use client';

import Link from 'next/link';
import { LatencyChart } from '../charts/LatencyChart';
import { ThroughputChart } from '../charts/ThroughputChart';
import { useAnnotations } from '../charts/useAnnotations';
import { useTimeRange } from '../data/useTimeRange';
import { FindingBadge } from '../findings/FindingBadge';
import { findingsOfService } from '../findings/findingsFor';
import { useFindings } from '../findings/useFindings';
import { EmptyState, ErrorState, Loading } from '../shell/PageState';
import { TimeRangeBar } from '../shell/TimeRangeBar';
import { useCarriedRange } from '../shell/useCarriedRange';
import { DependencyList } from './DependencyList';
import { OperationsTable } from './OperationsTable';
import { ServiceStats } from './ServiceStats';
import { useDependencies, useOperations, useServiceSeries } from './useServiceDetail';
import { useServices } from './useServices';

const resolvedSpan = ({ from, to }: { from: number; to: number }) => to - from;

export function ServicePage({ service }: { service: string }) {
  const range = useTimeRange();
  const series = useServiceSeries(service, range);
  const operations = useOperations(service, range);
  const dependencies = useDependencies(service, range);
  const annotations = useAnnotations(range);
  // The overview's answer is cached under the same key, so this costs nothing when coming from it.
  const summary = useServices(range).data?.services.find((s) => s.service === service);
  const suffix = useCarriedRange();
  const findings = findingsOfService(useFindings(range).data?.findings ?? [], service);
  const tracesLink = `/traces${suffix ? `${suffix}&` : '?'}service=${encodeURIComponent(service)}`;
  const fetching = series.isFetching || operations.isFetching || dependencies.isFetching;

  return (
    <section>
      <header className="page-header">
        <h1>
          <Link href={`/${suffix}`} className="muted">
            Services
          </Link>{' '}
          / {service}
        </h1>
        <TimeRangeBar range={range} isFetching={fetching} />
      </header>
      {summary && <ServiceStats summary={summary} />}
      <p>
        <Link href={tracesLink}>Search this service’s traces →</Link> <FindingBadge findings={findings} carried={suffix} />
      </p>
      {series.isPending ? (
        <Loading what="latency series" />
      ) : series.isError ? (
        <ErrorState error={series.error} />
      ) : series.data.points.every((point) => point.requests === 0) ? (
        <EmptyState title={`No requests to ${service} in this time range`} />
      ) : (
        <div className="grid two">
          <div className="panel">
            <h3>Latency (p50 / p95 / p99)</h3>
            <LatencyChart points={series.data.points} annotations={annotations} />
          </div>
          <div className="panel">
            <h3>Throughput and errors</h3>
            <ThroughputChart points={series.data.points} stepSeconds={series.data.stepSeconds} annotations={annotations} />
          </div>
        </div>
      )}
      {dependencies.data && resolvedSpan(dependencies.data) < resolvedSpan(range.resolve()) - 1_000 && (
        <p className="hint">Upstream and downstream services are read from the last hour of the range.</p>
      )}
      <div className="grid two">
        {dependencies.isError ? (
          <ErrorState error={dependencies.error} />
        ) : (
          <>
            <DependencyList title="Upstream (calls this service)" dependencies={dependencies.data?.upstream ?? []} linkSuffix={suffix} />
            <DependencyList title="Downstream (called by this service)" dependencies={dependencies.data?.downstream ?? []} linkSuffix={suffix} />
          </>
        )}
      </div>
      <div className="panel">
        <h3>Operations</h3>
        {operations.isPending ? (
          <Loading what="operations" />
        ) : operations.isError ? (
          <ErrorState error={operations.error} />
        ) : (
          <OperationsTable service={service} operations={operations.data.operations} linkSuffix={suffix} />
        )}
      </div>
    </section>
  );
}

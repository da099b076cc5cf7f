'use client';

import { useTimeRange } from '../data/useTimeRange';
import { EmptyState, ErrorState, Loading } from '../shell/PageState';
import { TimeRangeBar } from '../shell/TimeRangeBar';
import { useCarriedRange } from '../shell/useCarriedRange';
import { ServicesTable } from './ServicesTable';
import { useServices } from './useServices';

export function ServicesOverview() {
  const range = useTimeRange();
  const services = useServices(range);
  const suffix = useCarriedRange();
  return (
    <section>
      <header className="page-header">
        <h1>Services</h1>
        <TimeRangeBar range={range} isFetching={services.isFetching} />
      </header>
      <p className="hint">Requests are server and consumer spans; rates, error rates and latency percentiles are over those requests.</p>
      {services.isPending ? (
        <Loading what="services" />
      ) : services.isError ? (
        <ErrorState error={services.error} />
      ) : services.data.services.length === 0 ? (
        <EmptyState title="No spans in this time range yet" />
      ) : (
        <ServicesTable services={services.data.services} linkSuffix={suffix} />
      )}
    </section>
  );
}

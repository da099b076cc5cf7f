'use client';

import type { IngestFailureCode } from '@/lib/contract/health';
import { useHealth } from './useHealth';

const causes: Record<IngestFailureCode, string> = {
  FAULTLINE_ERR_STORE_FULL: 'the store’s disk is full',
  FAULTLINE_ERR_STORE_UNAVAILABLE: 'the store refused it or could not be reached',
};

/** Under the navigation bar while the collector's inserts fail: what is shown is no longer growing. */
export function IngestBanner() {
  const failure = useHealth().data?.ingest;
  if (!failure?.failing || !failure.lastFailure) return null;
  return (
    <div className="ingest-banner" role="alert">
      <strong>Ingestion is failing.</strong> The last insert into the store failed at{' '}
      {new Date(failure.lastFailure.at).toLocaleTimeString()}: {causes[failure.lastFailure.code]}. Senders are answered 503 and retry;
      nothing new is stored until an insert succeeds.
    </div>
  );
}

'use client';

import { useHealth } from './useHealth';

/** Under the navigation bar while the collector's inserts fail: what is shown is no longer growing. */
export function IngestBanner() {
  const failure = useHealth().data?.ingest;
  if (!failure?.failing || !failure.lastFailure) return null;
  return (
    <div className="ingest-banner" role="alert">
      <strong>Ingestion is failing.</strong> The last insert into the store failed at{' '}
      {new Date(failure.lastFailure.at).toLocaleTimeString()}: {failure.lastFailure.message}. Senders are answered 503 and retry;
      nothing new is stored until an insert succeeds.
    </div>
  );
}

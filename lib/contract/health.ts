/** `/api/health`: the store's kind, where the collector listens, and whether its inserts are failing. */

/**
 * The collector's writes into the store, when it runs in the dashboard's process (`npm start`); times
 * in Unix milliseconds. `failing` is true while the last insert failed (a full disk, the store gone):
 * senders are answered 503 and retry, and nothing new is stored until an insert succeeds again. The
 * failure is given by its code only (`/api/health` is open to probes): the collector's answers to
 * senders carry ClickHouse's message.
 */
export type IngestStatus = {
  failing: boolean;
  lastCommitAt: number | null;
  lastFailure: { at: number; code: IngestFailureCode } | null;
};

export type IngestFailureCode = 'FAULTLINE_ERR_STORE_FULL' | 'FAULTLINE_ERR_STORE_UNAVAILABLE';

export type Health = {
  ok: boolean;
  store: 'chdb' | 'http';
  otlpPort: number;
  /** Null when the collector runs in another process. */
  ingest: IngestStatus | null;
};

/**
 * What the hosting process (`npm start`, `npm run ui`, the test stack) shares with the dashboard's
 * route code: the open store, the port its collector is bound to and whether its inserts fail, the SLO evaluator's status, and
 * (per request, as a header) whether there is a sign-in session to end.
 * Next.js bundles route code apart, so it can't share module instances with the process that hosts
 * it; the one place both see is a slot on `globalThis`.
 */
import type { Store } from './clickhouse/store';
import { StoreUnavailableError } from './errors';
import type { IngestStatus } from './contract/health';
import type { SloStatus } from './contract/slo';

type Host = { store?: Store; otlpPort?: number; ingestStatus?: () => IngestStatus; sloStatus?: SloStatus };

const hostKey = Symbol.for('faultline.host');
const slot = globalThis as { [hostKey]?: Host };

function host(): Host {
  return (slot[hostKey] ??= {});
}

/** Makes an opened store the one this process's routes read; undefined once it is closed. */
export function hostStore(store: Store | undefined): void {
  host().store = store;
}

export function hostedStore(): Store {
  const { store } = host();
  if (!store) throw new StoreUnavailableError();
  return store;
}

/** With `FAULTLINE_OTLP_PORT=0` the port is only known once the collector is bound. */
export function hostOtlpPort(port: number): void {
  host().otlpPort = port;
}

/** Undefined when the collector runs in another process. */
export function hostedOtlpPort(): number | undefined {
  return host().otlpPort;
}

/** The collector in this process reports whether its inserts are failing (collector/receiverMetrics.ts). */
export function hostIngestStatus(read: (() => IngestStatus) | undefined): void {
  host().ingestStatus = read;
}

/** Undefined when the collector runs in another process. */
export function readIngestStatus(): IngestStatus | undefined {
  return host().ingestStatus?.();
}

export function publishSloStatus(status: SloStatus | undefined): void {
  host().sloStatus = status;
}

export function readSloStatus(): SloStatus | undefined {
  return host().sloStatus;
}

/**
 * Set by the dashboard server (server/dashboardServer.ts) on each request it hands to Next.js, to "1"
 * when a password session exists to end; any value a client sends is replaced.
 */
export const signOutOfferedHeader = 'x-faultline-sign-out';

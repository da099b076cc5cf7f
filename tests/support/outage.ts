/**
 * Store outages for tests, on the table the collector's span inserts land in (on the embedded store
 * `faultline_traces_staging`, lib/clickhouse/spanStaging.ts): the table detached, then attached
 * again; or, while requests are in flight, the table refusing every new insert before it writes
 * anything (a constraint no row meets). A table detached under an insert that runs on the writer's own
 * session can fail that insert after its part committed: a refusal the test would count as lost, made
 * by the test. `expectAcknowledgedStoredOnce` is the "nothing acknowledged is lost" check, for any
 * protocol.
 */
import { expect } from 'vitest';
import { stagedTraces } from '../../lib/clickhouse/tables';
import { makeSpans, tracesProtobuf } from './otlpBodies';
import type { TestFaultline } from './faultline';

const spanInserts = `faultline.${stagedTraces.name}`;
export const detachTraces = (faultline: TestFaultline) => faultline.store.client.command({ query: `DETACH TABLE ${spanInserts}` });
export const attachTraces = (faultline: TestFaultline) => faultline.store.client.command({ query: `ATTACH TABLE ${spanInserts}` });
const refuseTraceInserts = (faultline: TestFaultline) =>
  faultline.store.client.command({ query: `ALTER TABLE ${spanInserts} ADD CONSTRAINT outage CHECK 0` });
const acceptTraceInserts = (faultline: TestFaultline) =>
  faultline.store.client.command({ query: `ALTER TABLE ${spanInserts} DROP CONSTRAINT outage` });

/** Spans stored per service whose name starts with `prefix`. */
export async function storedServices(faultline: TestFaultline, prefix: string): Promise<Map<string, number>> {
  const rows = await faultline.query<{ service: string; n: string }>(
    'SELECT ServiceName AS service, count() AS n FROM faultline.otel_traces WHERE startsWith(ServiceName, {prefix:String}) GROUP BY service',
    { prefix },
  );
  return new Map(rows.map((row) => [row.service, Number(row.n)]));
}

export const spansPerRequest = 20;

/** One service's traces as a protobuf `ExportTraceServiceRequest`. */
export const serviceTraces = (service: string) => tracesProtobuf(makeSpans({ service, spans: spansPerRequest }));

/**
 * Sends 60 requests (one service each, three senders at a time) while the store goes away and comes
 * back, then checks that every acknowledged request is stored completely and exactly once, and that
 * every other one was refused as retryable. `send` answers how the collector answered.
 */
export async function expectAcknowledgedStoredOnce(
  faultline: TestFaultline,
  prefix: string,
  send: (service: string) => Promise<'acknowledged' | 'refused'>,
): Promise<void> {
  const outcomes = new Map<string, 'acknowledged' | 'refused'>();
  let sent = 0;
  const sender = async () => {
    while (sent < 60) {
      const service = `${prefix}${sent++}`;
      outcomes.set(service, await send(service));
    }
  };
  const outage = (async () => {
    while (sent < 15) await new Promise((resolve) => setTimeout(resolve, 5));
    await refuseTraceInserts(faultline);
    while (sent < 35) await new Promise((resolve) => setTimeout(resolve, 5));
    await acceptTraceInserts(faultline);
  })();
  await Promise.all([sender(), sender(), sender(), outage]);

  const acknowledged = [...outcomes].filter(([, outcome]) => outcome === 'acknowledged').map(([service]) => service);
  const refused = [...outcomes].filter(([, outcome]) => outcome === 'refused');
  expect(acknowledged.length + refused.length).toBe(60);
  expect(refused.length).toBeGreaterThan(0);
  const stored = await storedServices(faultline, prefix);
  expect([...stored.keys()].sort()).toEqual(acknowledged.sort());
  expect([...stored.values()].every((count) => count === spansPerRequest)).toBe(true);
}

/**
 * The service map: every service with spans in the range, and every edge between them with its calls
 * per second, error rate, p95 and, where the caller guards the call with a circuit breaker, the
 * breaker's latest state.
 *
 * An edge starts at a client or producer span and ends at the server or consumer spans that are its
 * children in another service (so asynchronous messaging, where consumers are children of the
 * producer's span, draws edges like calls do). An outbound span with no instrumented child draws an
 * edge to the peer it names (`peer.service`, `db.system`, `messaging.system`, `server.address`): the
 * external APIs, databases and brokers that send no spans of their own. Like the service page's
 * dependencies, edges come from at most the last hour of the range, as the join's cost grows with it.
 */
import { z } from 'zod';
import { sql } from '@/lib/clickhouse/sql';
import { stateFromGauge } from './breakerStates';
import { breakerPoints, stateMetric } from './breakerPoints';
import { firstPeerKey, peerAttributes } from './peerAttributes';
import { timeRangeFields, type TimeRange } from '../input';
import { selectRows, table, type QueryStore } from '../clickhouse/selectRows';
import { maxDependencyRangeMs } from './services';
import type { MapEdge, ServiceMap } from '@/lib/contract/serviceMap';

export const serviceMapInput = z.object(timeRangeFields);
export type ServiceMapInput = z.infer<typeof serviceMapInput>;

type EdgeRow = Pick<MapEdge, 'source' | 'target' | 'kind' | 'peerKey' | 'peer' | 'calls' | 'errors' | 'p95Ms'>;
type BreakerRow = { service: string; peer: string; name: string; value: number };

const inRange = ({ from, to }: TimeRange) =>
  sql`Timestamp >= fromUnixTimestamp64Milli(${from}) AND Timestamp < fromUnixTimestamp64Milli(${to})`;

/**
 * A call that starts just before the range ends is served just after: the callee side reads this much
 * further, or such calls would show as edges to the peer's address instead of to the service.
 */
const calleeGraceMs = 60_000;

function edgeRows(store: QueryStore, range: TimeRange) {
  const traces = table(store, 'otel_traces');
  // The first peer attribute a span carries names its peer; the key is kept so a trace search can find
  // the edge's calls again by that attribute.
  const peers = sql`peers`;
  // Spans join on a 64-bit hash of their ids: a smaller hash table than the hex strings (~15 % faster
  // over an hour of 10M spans a day), and a collision among an hour's ids is vanishingly unlikely.
  // A call's latency is what its caller waited; a message's is its consumer's work, since publishing
  // returns at once. Errors on either side count: a refused call has no server span to fail.
  return selectRows<EdgeRow>(
    store,
    sql`
      SELECT caller.service AS source, if(callee.service != '', callee.service, caller.peer) AS target,
        any(caller.kind) AS kind, any(caller.peerKey) AS peerKey, any(caller.peer) AS peer, count() AS calls,
        countIf(caller.status = 'Error' OR callee.status = 'Error') AS errors,
        quantile(0.95)(if(caller.kind = 'Producer' AND callee.service != '', callee.duration, caller.duration)) / 1e6 AS p95Ms
      FROM (
        SELECT cityHash64(SpanId) AS link, ServiceName AS service, SpanKind AS kind, StatusCode AS status, Duration AS duration,
          ${peerAttributes()} AS ${peers}, ${firstPeerKey(peers)} AS peerKey, ${peers}[peerKey] AS peer
        FROM ${traces}
        WHERE ${inRange(range)} AND SpanKind IN ('Client', 'Producer')
      ) AS caller
      LEFT JOIN (
        SELECT cityHash64(ParentSpanId) AS link, ServiceName AS service, StatusCode AS status, Duration AS duration
        FROM ${traces}
        WHERE ${inRange({ from: range.from, to: range.to + calleeGraceMs })} AND SpanKind IN ('Server', 'Consumer') AND ParentSpanId != ''
      ) AS callee ON callee.link = caller.link
      WHERE target != '' AND target != source
      GROUP BY source, target
      ORDER BY source, target`,
  );
}

/** The services with spans in the range, from the per-minute counts: a few rows a minute, not every span. */
function serviceRows(store: QueryStore, range: TimeRange) {
  return selectRows<{ service: string }>(
    store,
    sql`SELECT DISTINCT ServiceName AS service FROM ${table(store, 'faultline_slo_minutes')}
        WHERE Minute >= toStartOfMinute(fromUnixTimestamp64Milli(${range.from})) AND Minute < fromUnixTimestamp64Milli(${range.to})
        ORDER BY service`,
  );
}

/** Each breaker's latest state gauge, by the service that owns it and the peer it guards. */
async function breakerRows(store: QueryStore, range: TimeRange) {
  return selectRows<BreakerRow>(
    store,
    sql`
      SELECT service, peer, name, argMax(Value, TimeUnix) AS value
      FROM ${await breakerPoints(store, stateMetric, range)}
      WHERE peer != ''
      GROUP BY service, peer, name`,
  );
}

export async function getServiceMap(store: QueryStore, input: ServiceMapInput): Promise<ServiceMap> {
  const range = { from: Math.max(input.from, input.to - maxDependencyRangeMs), to: input.to };
  const [edges, services, breakers] = await Promise.all([edgeRows(store, range), serviceRows(store, range), breakerRows(store, range)]);
  return { ...buildServiceMap(edges, services.map((row) => row.service), breakers, (range.to - range.from) / 1000), ...range };
}

/** Nodes from instrumented services and edge ends; a breaker joins the edge from its owner to its peer. */
export function buildServiceMap(edges: EdgeRow[], services: string[], breakers: BreakerRow[], seconds: number): Pick<ServiceMap, 'nodes' | 'edges'> {
  const instrumented = new Set(services);
  const names = new Set([...services, ...edges.flatMap((edge) => [edge.source, edge.target])]);
  const nodes = [...names].sort().map((service) => ({ service, external: !instrumented.has(service) }));
  const breakerOf = new Map(breakers.map((row) => [`${row.service}\u0000${row.peer}`, row]));
  return {
    nodes,
    edges: edges.map((edge) => {
      const breaker = breakerOf.get(`${edge.source}\u0000${edge.target}`);
      return {
        ...edge,
        callsPerSecond: edge.calls / seconds,
        errorRate: edge.calls === 0 ? 0 : edge.errors / edge.calls,
        p95Ms: edge.p95Ms === null || Number.isNaN(edge.p95Ms) ? null : edge.p95Ms,
        breaker: breaker ? { name: breaker.name, state: stateFromGauge(breaker.value) } : null,
      };
    }),
  };
}

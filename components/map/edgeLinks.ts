/** Where the map's nodes and edges lead. */
import { traceSearchHref } from '../traces/traceFilters';
import type { MapEdge, MapNode } from '@/lib/contract/serviceMap';

/** An instrumented service opens its page; an external peer opens the traces that call it. */
export function nodeHref(node: MapNode, carried: string, callers: readonly MapEdge[]): string {
  if (!node.external) return `/services/${encodeURIComponent(node.service)}${carried}`;
  const edge = callers.find((candidate) => candidate.target === node.service);
  return edge ? edgeHref(edge, carried) : traceSearchHref({}, carried);
}

/**
 * The trace search for an edge's calls: the caller's spans carrying the attribute that names this peer
 * when it does (`peer.service=payment`), else the callee's spans (a message topic names no consumer).
 */
export function edgeHref(edge: MapEdge, carried: string): string {
  if (edge.peerKey && edge.peer === edge.target) return traceSearchHref({ service: edge.source, attr: [`${edge.peerKey}=${edge.peer}`] }, carried);
  return traceSearchHref({ service: edge.target }, carried);
}

/** The service map's answer (`/api/service-map`). */
import type { BreakerState } from './breakers';
export type MapNode = { service: string; external: boolean };

export type MapEdge = {
  source: string;
  target: string;
  /** `Client` for calls, `Producer` for messages. */
  kind: string;
  /** The attribute naming the peer on the caller's spans (`peer.service`, `db.system` …), and its value; '' when none. */
  peerKey: string;
  peer: string;
  calls: number;
  errors: number;
  callsPerSecond: number;
  errorRate: number;
  p95Ms: number | null;
  breaker: { name: string; state: BreakerState } | null;
};

/** `from`/`to`: the part of the asked range the edges were read from. */
export type ServiceMap = { nodes: MapNode[]; edges: MapEdge[]; from: number; to: number };

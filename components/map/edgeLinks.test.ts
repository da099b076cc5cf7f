import { describe, expect, it } from 'vitest';
import { edgeHref, nodeHref } from './edgeLinks';
import type { MapEdge } from '@/lib/contract/serviceMap';

const edge = (change: Partial<MapEdge>): MapEdge => ({
  source: 'gateway',
  target: 'order',
  kind: 'Client',
  peerKey: 'peer.service',
  peer: 'order',
  calls: 1,
  errors: 0,
  callsPerSecond: 1,
  errorRate: 0,
  p95Ms: 1,
  breaker: null,
  ...change,
});

describe('map links', () => {
  it('searches the caller spans that name the peer, keeping the range', () => {
    expect(edgeHref(edge({}), '?range=1h')).toBe('/traces?range=1h&service=gateway&attr=peer.service%3Dorder');
  });

  it('searches the consumer spans of a messaging edge, whose producer names only the broker', () => {
    expect(edgeHref(edge({ kind: 'Producer', peerKey: 'messaging.system', peer: 'mqtt', target: 'payment' }), '')).toBe('/traces?service=payment');
  });

  it('opens a service page for an instrumented node and the calls to an external one', () => {
    expect(nodeHref({ service: 'order', external: false }, '?range=1h', [])).toBe('/services/order?range=1h');
    const provider = edge({ source: 'payment', target: 'payment-provider', peer: 'payment-provider' });
    expect(nodeHref({ service: 'payment-provider', external: true }, '', [provider])).toBe('/traces?service=payment&attr=peer.service%3Dpayment-provider');
  });
});

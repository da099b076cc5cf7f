import { describe, expect, it } from 'vitest';
import { acyclicEdges, edgePorts, layoutGraph } from './layout';

const edge = (source: string, target: string) => ({ source, target });
const shop = [
  edge('gateway', 'order'),
  edge('gateway', 'user'),
  edge('gateway', 'inventory'),
  edge('order', 'payment'),
  edge('order', 'inventory'),
  edge('order', 'notification'),
  edge('payment', 'payment-provider'),
];
const shopNodes = ['gateway', 'order', 'user', 'inventory', 'payment', 'notification', 'payment-provider'];

describe('layoutGraph', () => {
  it('puts every caller in a column left of everything it calls', () => {
    const { positions } = layoutGraph(shopNodes, shop);
    for (const { source, target } of shop) expect(positions.get(source)!.x).toBeLessThan(positions.get(target)!.x);
  });

  it('places a node at the end of its longest incoming path', () => {
    const { layers } = layoutGraph(shopNodes, shop);
    expect(layers.map((layer) => [...layer].sort())).toEqual([['gateway'], ['order', 'user'], ['inventory', 'notification', 'payment'], ['payment-provider']]);
  });

  it('gives every node its own spot', () => {
    const { positions } = layoutGraph(shopNodes, shop);
    const spots = new Set([...positions.values()].map((p) => `${p.x},${p.y}`));
    expect(spots.size).toBe(shopNodes.length);
  });

  it('orders a layer by its callers so parallel chains do not cross', () => {
    const chains = [edge('a', 'z1'), edge('b', 'y1'), edge('z1', 'z2'), edge('y1', 'y2')];
    const { positions } = layoutGraph(['a', 'b', 'y1', 'y2', 'z1', 'z2'], chains);
    const above = (m: string, n: string) => positions.get(m)!.y < positions.get(n)!.y;
    expect(above('a', 'b')).toBe(above('z1', 'y1'));
    expect(above('z1', 'y1')).toBe(above('z2', 'y2'));
  });

  it('lays out a cycle without looping, and isolated services too', () => {
    const { positions, layers } = layoutGraph(['a', 'b', 'c', 'lonely'], [edge('a', 'b'), edge('b', 'c'), edge('c', 'a')]);
    expect(positions.size).toBe(4);
    expect(layers.length).toBe(3);
  });

  it('stays within a readable size at twenty services', () => {
    const nodes = Array.from({ length: 20 }, (_, i) => `svc-${i}`);
    const edges = nodes.slice(1).map((node, i) => edge(nodes[Math.floor(i / 3)]!, node));
    const { width, height, positions } = layoutGraph(nodes, edges);
    expect(positions.size).toBe(20);
    expect(width).toBeLessThan(1400);
    expect(height).toBeLessThan(1200);
  });
});

describe('acyclicEdges', () => {
  it('drops self-loops, duplicates and one edge of each cycle', () => {
    expect(acyclicEdges(['a', 'b'], [edge('a', 'a'), edge('a', 'b'), edge('a', 'b'), edge('b', 'a')])).toEqual([edge('a', 'b')]);
  });
});

describe('edgePorts', () => {
  it('spreads the edges leaving a node in the order of their targets, centred on the node', () => {
    const positions = new Map([
      ['a', { x: 0, y: 100 }],
      ['up', { x: 200, y: 0 }],
      ['mid', { x: 200, y: 100 }],
      ['down', { x: 200, y: 200 }],
    ]);
    const edges = [edge('a', 'down'), edge('a', 'up'), edge('a', 'mid')];
    const ports = edgePorts(edges, positions, 20);
    expect(edges.map((e) => ports.get(e)?.sourceOffset)).toEqual([10, -10, 0]);
    expect(edges.map((e) => ports.get(e)?.targetOffset)).toEqual([0, 0, 0]);
  });
});

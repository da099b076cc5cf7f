/**
 * A small layered (Sugiyama-style) layout for the service map, left to right in call direction:
 * 1. cycles are broken by ignoring the edges a depth-first walk finds going back to an open node;
 * 2. each node's layer is the longest path to it from a node nobody calls (so callers sit left of
 *    everything they call);
 * 3. nodes within a layer are ordered by the mean position of their neighbours in the layer before
 *    (then after), a few sweeps each way, which removes most crossings in service graphs;
 * 4. layers become columns, ordered nodes rows, each column centred on the tallest.
 * Pure and deterministic (ties break by name), so the same graph always draws the same way.
 */

export type LayoutEdge = { source: string; target: string };
export type Point = { x: number; y: number };
export type Layout = { positions: Map<string, Point>; layers: string[][]; width: number; height: number };
export type Spacing = { columnGap: number; rowGap: number; margin: number };

const defaultSpacing: Spacing = { columnGap: 220, rowGap: 80, margin: 60 };
const sweeps = 4;

export function layoutGraph(nodes: readonly string[], edges: readonly LayoutEdge[], spacing: Spacing = defaultSpacing): Layout {
  const names = [...new Set(nodes)].sort();
  const forward = acyclicEdges(names, edges);
  const layers = orderLayers(assignLayers(names, forward), forward);
  const tallest = Math.max(1, ...layers.map((layer) => layer.length));
  const positions = new Map<string, Point>();
  layers.forEach((layer, column) => {
    const offset = ((tallest - layer.length) * spacing.rowGap) / 2;
    layer.forEach((name, row) => {
      positions.set(name, { x: spacing.margin + column * spacing.columnGap, y: spacing.margin + offset + row * spacing.rowGap });
    });
  });
  return {
    positions,
    layers,
    width: spacing.margin * 2 + Math.max(0, layers.length - 1) * spacing.columnGap,
    height: spacing.margin * 2 + (tallest - 1) * spacing.rowGap,
  };
}

/** The edges without self-loops, duplicates and those closing a cycle in a depth-first walk. */
export function acyclicEdges(names: readonly string[], edges: readonly LayoutEdge[]): LayoutEdge[] {
  const out = new Map<string, string[]>(names.map((name) => [name, []]));
  for (const { source, target } of edges) {
    if (source === target || !out.has(source) || !out.has(target)) continue;
    const targets = out.get(source) as string[];
    if (!targets.includes(target)) targets.push(target);
  }
  for (const targets of out.values()) targets.sort();
  const state = new Map<string, 'open' | 'done'>();
  const kept: LayoutEdge[] = [];
  const visit = (name: string) => {
    state.set(name, 'open');
    for (const target of out.get(name) ?? []) {
      if (state.get(target) === 'open') continue;
      kept.push({ source: name, target });
      if (!state.has(target)) visit(target);
    }
    state.set(name, 'done');
  };
  // Start from the nodes nobody calls, so the walk follows the call direction where it can.
  const called = new Set(edges.map((edge) => edge.target));
  for (const name of [...names.filter((n) => !called.has(n)), ...names]) if (!state.has(name)) visit(name);
  return kept;
}

/** Longest-path layering over an acyclic edge set. */
function assignLayers(names: readonly string[], edges: readonly LayoutEdge[]): Map<string, number> {
  const layer = new Map(names.map((name) => [name, 0]));
  // Relaxing every edge |V| times settles longest paths in a DAG; service graphs are small.
  for (let round = 0; round < names.length; round++) {
    let changed = false;
    for (const { source, target } of edges) {
      const next = (layer.get(source) as number) + 1;
      if (next > (layer.get(target) as number)) {
        layer.set(target, next);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return layer;
}

function orderLayers(layerOf: Map<string, number>, edges: readonly LayoutEdge[]): string[][] {
  const count = Math.max(-1, ...layerOf.values()) + 1;
  const layers: string[][] = Array.from({ length: count }, () => []);
  for (const [name, layer] of [...layerOf].sort(([a], [b]) => a.localeCompare(b))) layers[layer]?.push(name);
  const neighbours = (name: string, direction: 'in' | 'out') =>
    edges.filter((edge) => (direction === 'in' ? edge.target : edge.source) === name).map((edge) => (direction === 'in' ? edge.source : edge.target));
  const reorder = (layer: string[], reference: string[], direction: 'in' | 'out') => {
    const index = new Map(reference.map((name, i) => [name, i]));
    const weight = (name: string, fallback: number) => {
      const positions = neighbours(name, direction).flatMap((n) => (index.has(n) ? [index.get(n) as number] : []));
      return positions.length === 0 ? fallback : positions.reduce((a, b) => a + b, 0) / positions.length;
    };
    const weighted = layer.map((name, i) => ({ name, weight: weight(name, (i * reference.length) / Math.max(1, layer.length)) }));
    weighted.sort((a, b) => a.weight - b.weight || a.name.localeCompare(b.name));
    return weighted.map((entry) => entry.name);
  };
  for (let sweep = 0; sweep < sweeps; sweep++) {
    for (let i = 1; i < layers.length; i++) layers[i] = reorder(layers[i] as string[], layers[i - 1] as string[], 'in');
    for (let i = layers.length - 2; i >= 0; i--) layers[i] = reorder(layers[i] as string[], layers[i + 1] as string[], 'out');
  }
  return layers;
}

export type Ports = { sourceOffset: number; targetOffset: number };

/**
 * Vertical offsets where each edge leaves its source and enters its target, spread over `span` pixels
 * of the node's side in the order of the nodes at the other end, so edges sharing a node don't meet
 * in one point (and neither do their labels) and don't cross each other on the way.
 */
export function edgePorts(edges: readonly LayoutEdge[], positions: ReadonlyMap<string, Point>, span: number): Map<LayoutEdge, Ports> {
  const y = (name: string) => positions.get(name)?.y ?? 0;
  const spread = (group: LayoutEdge[], other: (edge: LayoutEdge) => string) => {
    const ordered = [...group].sort((a, b) => y(other(a)) - y(other(b)) || other(a).localeCompare(other(b)));
    const step = ordered.length > 1 ? Math.min(10, span / (ordered.length - 1)) : 0;
    return new Map(ordered.map((edge, i) => [edge, (i - (ordered.length - 1) / 2) * step]));
  };
  const groupBy = (key: (edge: LayoutEdge) => string) => {
    const groups = new Map<string, LayoutEdge[]>();
    for (const edge of edges) groups.set(key(edge), [...(groups.get(key(edge)) ?? []), edge]);
    return [...groups.values()];
  };
  const leaving = new Map(groupBy((e) => e.source).flatMap((group) => [...spread(group, (e) => e.target)]));
  const entering = new Map(groupBy((e) => e.target).flatMap((group) => [...spread(group, (e) => e.source)]));
  return new Map(edges.map((edge) => [edge, { sourceOffset: leaving.get(edge) ?? 0, targetOffset: entering.get(edge) ?? 0 }]));
}

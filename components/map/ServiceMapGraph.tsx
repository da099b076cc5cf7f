'use client';

import Link from 'next/link';
import { useMemo } from 'react';
import { stateColor, stateWord, errorRateColor } from '../breakers/breakerStyle';
import { formatMs, formatPercent, formatRate } from '../charts/format';
import { findingsOnEdge, summarizeFindings } from '../findings/findingsFor';
import { serviceColor } from '../traces/waterfall/serviceColor';
import { edgeHref, nodeHref } from './edgeLinks';
import { edgePorts, layoutGraph, type Point } from './layout';
import type { Finding } from '@/lib/contract/findings';
import type { MapEdge, ServiceMap } from '@/lib/contract/serviceMap';

const nodeWidth = 150;
const nodeHeight = 36;
const minLegibleWidth = 1000;

/** The point at `t` (0..1) of a cubic Bézier curve. */
function bezierPoint([p0, p1, p2, p3]: [Point, Point, Point, Point], t: number): Point {
  const u = 1 - t;
  const at = (axis: 'x' | 'y') => u * u * u * p0[axis] + 3 * u * u * t * p1[axis] + 3 * u * t * t * p2[axis] + t * t * t * p3[axis];
  return { x: at('x'), y: at('y') };
}

/**
 * A curve from the caller's right side to the callee's left side; backward edges loop below. The label
 * sits past the middle, where edges fanning out of one service have already parted, so labels overlap less.
 */
function edgePath(from: Point, to: Point): { d: string; label: Point } {
  const start = { x: from.x + nodeWidth / 2, y: from.y };
  const end = { x: to.x - nodeWidth / 2, y: to.y };
  const forward = end.x > start.x;
  const dip = Math.max(from.y, to.y) + nodeHeight * 2;
  const bend = (end.x - start.x) / 2;
  const controls: [Point, Point] = forward
    ? [{ x: start.x + bend, y: start.y }, { x: end.x - bend, y: end.y }]
    : [{ x: start.x + 80, y: dip }, { x: end.x - 80, y: dip }];
  const curve: [Point, Point, Point, Point] = [start, ...controls, end];
  return { d: `M${start.x},${start.y} C${controls[0].x},${controls[0].y} ${controls[1].x},${controls[1].y} ${end.x},${end.y}`, label: bezierPoint(curve, forward ? 0.62 : 0.5) };
}

/** A findings badge above an edge's label, linking to the Findings page (a sibling of the edge's own link: links don't nest). */
function EdgeFindings({ edge, findings, at, carried }: { edge: MapEdge; findings: readonly Finding[]; at: Point; carried: string }) {
  const summary = summarizeFindings(findings);
  if (!summary) return null;
  const width = 30;
  return (
    <Link href={`/findings${carried}`} className={`map-finding severity-${summary.severity}`} data-testid="map-finding" data-source={edge.source} data-target={edge.target} data-severity={summary.severity}>
      <title>{summary.text}</title>
      <rect x={at.x - width / 2} y={at.y - 36} width={width} height={16} rx={8} />
      <text x={at.x} y={at.y - 24} textAnchor="middle">
        ⚠ {summary.count}
      </text>
    </Link>
  );
}

function EdgeView({ edge, from, to, carried, findings }: { edge: MapEdge; from: Point; to: Point; carried: string; findings: readonly Finding[] }) {
  const { d, label: mid } = edgePath(from, to);
  const colour = errorRateColor(edge.errorRate);
  const label = `${formatRate(edge.callsPerSecond)} · ${formatPercent(edge.errorRate)} err · p95 ${formatMs(edge.p95Ms)}`;
  return (
    <>
      <Link href={edgeHref(edge, carried)} data-testid="map-edge" data-source={edge.source} data-target={edge.target} className="map-edge">
        <title>{`${edge.source} → ${edge.target} (${edge.kind === 'Producer' ? 'messages' : 'calls'}): ${label}${edge.breaker ? `; breaker ${edge.breaker.name} ${stateWord[edge.breaker.state]}` : ''}`}</title>
        <path d={d} fill="none" stroke="transparent" strokeWidth={12} />
        <path d={d} fill="none" stroke={colour} strokeWidth={1.5 + Math.min(4, Math.log10(1 + edge.callsPerSecond * 10))} strokeDasharray={edge.kind === 'Producer' ? '6 4' : undefined} markerEnd="url(#map-arrow)" />
        <text x={mid.x} y={mid.y - 6} textAnchor="middle" className="map-edge-label">
          {label}
        </text>
        {edge.breaker && (
          <g data-testid="map-breaker" data-state={edge.breaker.state}>
            <rect x={mid.x - 34} y={mid.y + 1} width={68} height={16} rx={8} fill="#0e1117" stroke={stateColor[edge.breaker.state]} />
            <text x={mid.x} y={mid.y + 13} textAnchor="middle" fill={stateColor[edge.breaker.state]} className="map-breaker-label">
              {stateWord[edge.breaker.state]}
            </text>
          </g>
        )}
      </Link>
      <EdgeFindings edge={edge} findings={findingsOnEdge(findings, edge.source, [edge.target, edge.peer])} at={mid} carried={carried} />
    </>
  );
}

/** The map as SVG: services as boxes in call order left to right, edges labelled with their figures. */
export function ServiceMapGraph({ map, carried, findings }: { map: ServiceMap; carried: string; findings: readonly Finding[] }) {
  const layout = useMemo(
    () => layoutGraph(map.nodes.map((node) => node.service), map.edges, { columnGap: nodeWidth + 170, rowGap: nodeHeight + 74, margin: nodeWidth / 2 + 10 }),
    [map],
  );
  const ports = useMemo(() => edgePorts(map.edges, layout.positions, nodeHeight - 12), [map, layout]);
  const at = (service: string, offset = 0) => {
    const point = layout.positions.get(service) as Point;
    return { x: point.x, y: point.y + offset };
  };
  return (
    <svg
      className="service-map"
      viewBox={`0 0 ${layout.width} ${layout.height + nodeHeight * 2}`}
      // Shrinks to fit the panel, down to a width where labels stay legible; past that the panel scrolls.
      style={{ maxWidth: layout.width, minWidth: Math.min(layout.width, minLegibleWidth) }}
      role="img"
      aria-label="Service map"
      data-testid="service-map"
    >
      <defs>
        <marker id="map-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0,0 L10,5 L0,10 z" fill="#8b95a7" />
        </marker>
      </defs>
      {map.edges.map((edge) => (
        <EdgeView
          key={`${edge.source}->${edge.target}`}
          edge={edge}
          from={at(edge.source, ports.get(edge)?.sourceOffset)}
          to={at(edge.target, ports.get(edge)?.targetOffset)}
          carried={carried}
          findings={findings}
        />
      ))}
      {map.nodes.map((node) => {
        const { x, y } = at(node.service);
        return (
          <Link key={node.service} href={nodeHref(node, carried, map.edges)} data-testid="map-node" data-service={node.service} className="map-node">
            <rect x={x - nodeWidth / 2} y={y - nodeHeight / 2} width={nodeWidth} height={nodeHeight} rx={6} fill="#151a23" stroke={node.external ? '#8b95a7' : serviceColor(node.service)} strokeDasharray={node.external ? '4 3' : undefined} strokeWidth={2} />
            <text x={x} y={y + 4} textAnchor="middle" className="map-node-label">
              {node.service.length > 20 ? `${node.service.slice(0, 19)}…` : node.service}
            </text>
          </Link>
        );
      })}
    </svg>
  );
}
